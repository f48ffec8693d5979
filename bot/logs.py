"""Logging set-up shared by every command."""

from __future__ import annotations

import logging


def setup_logging(level: str = "INFO") -> None:
    """Readable lines on stderr; third-party loggers that print URLs are kept quiet."""
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
    )
    # httpx logs every request URL at INFO; URLs are where tokens leak (Telegram puts its token
    # in the path), so it only gets to speak about problems.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler announces every job run at INFO: once per source per interval is noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
