"""The simulator's own clock, and the time formats Meta uses on the wire.

Tests age tokens, expire containers and roll quota windows by moving this clock forward
(`advance`) instead of sleeping. Everything time-dependent in the simulator reads it.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, date, datetime

log = logging.getLogger(__name__)

# Meta sends ISO 8601 with a colon-less numeric offset: 2024-01-01T18:20:00+0000.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

_UNIX_SECONDS = re.compile(r"^-?\d+$")


class SimClock:
    """Wall-clock time plus an offset that only ever grows."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """Current simulator time in Unix seconds."""
        return time.time() + self._offset

    def now_datetime(self) -> datetime:
        """Current simulator time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), UTC)

    def advance(self, seconds: float) -> None:
        """Move the clock forward; going backwards would break quota windows and token ages."""
        if seconds < 0:
            raise ValueError("the simulator clock only moves forward")
        self._offset += seconds
        log.debug("simulator clock advanced by %.0f s", seconds)


def format_timestamp(moment: datetime | float) -> str:
    """Render a datetime or Unix seconds the way Meta does (`2024-01-01T18:20:00+0000`)."""
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(moment, UTC)
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def parse_time_param(raw: str) -> float | None:
    """Parse a `since`/`until` value: Unix seconds or a date (Meta accepts strtotime strings).

    Only the forms clients actually send are understood: integers, `YYYY-MM-DD` and ISO 8601
    datetimes (naive ones are read as UTC). Returns None when the value is not one of them.
    """
    raw = raw.strip()
    if _UNIX_SECONDS.match(raw):
        return float(int(raw))
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
