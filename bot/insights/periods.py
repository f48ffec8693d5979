"""`/insights day | week | month` -> the since/until Threads is asked for.

Periods are whole UTC days ending today: `week` is today and the 6 days before it, so a
chart of views per day has one bar per day of the period (Threads counts views per day). A
digest reports complete days instead: the `days` before today (`complete=True`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}
DEFAULT_PERIOD = "week"


@dataclass(frozen=True, slots=True)
class Period:
    name: str  # a key of PERIOD_DAYS
    days: int
    since: datetime  # 00:00 UTC of the period's first day
    until: datetime  # now; or, for complete days, 00:00 UTC today
    complete: bool = False  # the days before today, not today so far

    @property
    def label(self) -> str:
        """ "today", "yesterday", "last 7 days"."""
        if self.days == 1:
            return "yesterday" if self.complete else "today"
        return f"last {self.days} days"

    @property
    def span(self) -> str:
        """The days covered, as a person reads them: "4 Dec" or "28 Nov to 4 Dec"."""
        last = _day(self.until - timedelta(days=1) if self.complete else self.until)
        return last if self.days == 1 else f"{_day(self.since)} to {last}"


def period_of(name: str, now: float, *, complete: bool = False) -> Period:
    """The period `name` (a key of PERIOD_DAYS) ending at `now` (Unix seconds); with
    `complete`, the whole days before the day of `now`."""
    days = PERIOD_DAYS[name]
    moment = datetime.fromtimestamp(now, UTC)
    today = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if complete:
        return Period(name, days, today - timedelta(days=days), today, complete=True)
    since = today - timedelta(days=days - 1)
    # Graph refuses since == until: at 00:00:00 exactly, a one-second "today".
    return Period(name, days, since, max(moment, since + timedelta(seconds=1)))


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b}"
