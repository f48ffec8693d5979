"""Logging: readable lines or JSON lines on stderr, with every known secret redacted.

Secrets are registered as they are read (tokens, webhook tokens, the app secret) and replaced
by `***` in the final text of every record, tracebacks included, whoever logged it. Text that
never passes through a log record (an uncaught exception printed by Python's default hook, in
the main thread or another one, and warnings) is scrubbed too: `guard_uncaught_output`.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import traceback
import warnings
from datetime import UTC, datetime
from types import TracebackType

_SECRETS: set[str] = set()
MIN_SECRET_LENGTH = 8  # shorter values would redact ordinary words


def redact(*values: str | None) -> None:
    """Never let these values reach a log line."""
    for value in values:
        if value and len(value) >= MIN_SECRET_LENGTH:
            _SECRETS.add(value)


def scrub(text: str) -> str:
    for secret in _SECRETS:
        if secret in text:
            text = text.replace(secret, "***")
    return text


class _ReadableFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return scrub(json.dumps(entry, ensure_ascii=False))


def setup_logging(level: str = "INFO", *, json_lines: bool = False) -> None:
    """One handler on the root logger; third-party loggers that print URLs kept quiet."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if json_lines else _ReadableFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_threads_bridge", False):
            root.removeHandler(existing)
    handler._threads_bridge = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO; URLs are where tokens leak (Telegram puts its token
    # in the path), so it only gets to speak about problems.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler announces every job run at INFO: once per source per interval is noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # discord.py's gateway chatter at INFO is for debugging discord.py itself.
    logging.getLogger("discord").setLevel(logging.WARNING)


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def guard_uncaught_output() -> None:
    """Route what Python prints by itself through `scrub`: a library exception raised at
    start-up (python-telegram-bot's InvalidToken quotes the token) would otherwise reach
    journald or `docker logs` verbatim."""
    sys.excepthook = _scrubbed_excepthook
    threading.excepthook = _scrubbed_thread_excepthook
    warnings.showwarning = _scrubbed_showwarning


def _scrubbed_excepthook(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    sys.stderr.write(scrub("".join(traceback.format_exception(kind, value, tb))))
    sys.stderr.flush()


def _scrubbed_thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return  # as the default hook: a thread's SystemExit is silent
    name = args.thread.name if args.thread is not None else "unknown"
    text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    sys.stderr.write(scrub(f"Exception in thread {name}:\n{text}"))
    sys.stderr.flush()


def _scrubbed_showwarning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    text = warnings.formatwarning(message, category, filename, lineno, line)
    sys.stderr.write(scrub(text))
