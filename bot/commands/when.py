"""WHEN in `/schedule WHEN TEXT`: a time as people write it (`2026-12-24 09:00`, `tomorrow 9:00`,
`in 2h`, `morgen um 9:00`), read by dateparser in the chat's time zone.

The time is the longest run of leading words (up to `MAX_WORDS`) that reads as a time; the
rest is the text. A text that starts with words that read as part of a time can be kept apart
with a bar: `/schedule 2026-12-24 09:00 | Monday recap`.

dateparser takes about 0.05 s to import and 0.4 s for the first /schedule (it loads the
data of the languages below then); later ones take about 10 ms (each run of words is tried in
every language). So it is imported on the first /schedule, and parsing runs in a worker
thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

MAX_WORDS = 5  # "next Thursday at 9:30 pm" is five
MAX_AHEAD = 365 * 24 * 3600.0  # the bridge makes the container only when due: no Meta limit
SEPARATOR = "|"
EXAMPLES = "try 2026-12-24 09:00, tomorrow 9:00 or in 2h"
# The languages a time may be written in. Every language dateparser knows would cost about
# 50 ms per word tried (detection runs through all of them); these cost about 1 ms.
LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "sv"]

_WORD = re.compile(r"\S+")
_lock = threading.Lock()  # dateparser loads its language data lazily: one parse at a time


class WhenError(Exception):
    """WHEN cannot be used: the message says why, and what would work."""


@dataclass(frozen=True, slots=True)
class When:
    at: float  # Unix time
    phrase: str  # the words read as the time
    text: str  # what follows them (stripped)


async def read_when(args: str, *, now: float, zone: str) -> When:
    """`read_when_now` in a worker thread (dateparser is pure Python and not quick)."""
    return await asyncio.to_thread(read_when_now, args, now=now, zone=zone)


def read_when_now(args: str, *, now: float, zone: str) -> When:
    """The time at the start of `args` and the text after it, or WhenError."""
    args = args.strip()
    base = _wall(now, zone)
    found = _explicit(args, base) or _leading(args, base)
    if found is None:
        first = " ".join(args.split()[:3])
        raise WhenError(f"I could not read a time in “{first}”; {EXAMPLES}.")
    phrase, text, (wall, has_time) = found
    if not has_time:
        raise WhenError(
            f"“{phrase}” names a day but no time of day; add one (tomorrow 9:00, "
            "2026-12-24 09:00) or count in hours (in 48h)."
        )
    at = _instant(phrase, wall, base, now, zone)
    check_when(at, now=now, zone=zone)
    return When(at, phrase, text)


def check_when(at: float, *, now: float, zone: str) -> None:
    """Refuse a time in the past (or now) and one more than a year ahead, saying why."""
    shown = f"{show_time(at, zone, now=now)} {zone}"
    if at <= now + 30:
        if now - at < 60:
            raise WhenError(f"That is now ({shown}); /post publishes at once.")
        raise WhenError(
            f"That is {_span(now - at)} ago ({shown}); give a time in the future ({EXAMPLES})."
        )
    if at - now > MAX_AHEAD:
        raise WhenError(
            f"That is more than a year ahead ({shown}); the bridge schedules posts up to "
            f"{MAX_AHEAD / 86400:.0f} days ahead."
        )


def show_time(at: float, zone: str, *, now: float | None = None) -> str:
    """`Thu 24 Dec 09:00` in `zone` (with the year when it is not the current one)."""
    local = datetime.fromtimestamp(at, ZoneInfo(zone))
    year = ""
    if now is not None and datetime.fromtimestamp(now, ZoneInfo(zone)).year != local.year:
        year = f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


Parsed = tuple[datetime, bool]  # the wall-clock time named, and whether it has a time of day


def _explicit(args: str, base: datetime) -> tuple[str, str, Parsed] | None:
    """`WHEN | TEXT`, when what stands before the first bar is a time as a whole."""
    phrase, bar, text = args.partition(SEPARATOR)
    if not bar or not phrase.strip():
        return None
    parsed = _parse(phrase.strip(), base)
    return (phrase.strip(), text.strip(), parsed) if parsed is not None else None


def _leading(args: str, base: datetime) -> tuple[str, str, Parsed] | None:
    """The longest run of leading words that reads as a time; then as few of those words as
    read as the same time, so that a word the parser ignores ("Sunday" after a date of
    another day) stays in the text."""
    words = list(_WORD.finditer(args))[:MAX_WORDS]
    found: tuple[int, Parsed] | None = None
    for count in range(len(words), 0, -1):
        parsed = _parse(args[: words[count - 1].end()], base)
        if parsed is not None:
            found = (count, parsed)
            break
    if found is None:
        return None
    count, parsed = found
    while count > 1 and _parse(args[: words[count - 2].end()], base) == parsed:
        count -= 1
    end = words[count - 1].end()
    return args[:end], args[end:].strip(), parsed


def _wall(now: float, zone: str) -> datetime:
    """`now` as the chat's clocks show it (naive)."""
    return datetime.fromtimestamp(now, ZoneInfo(zone)).replace(tzinfo=None)


def _instant(phrase: str, wall: datetime, base: datetime, now: float, zone: str) -> float:
    """The Unix time of what `phrase` named. dateparser reads the phrase on the wall clock
    without zones (its own zone handling keeps the base's UTC offset, so "tomorrow 9:00" on
    the eve of a DST change came out an hour off); here a count from now ("in 2h") is added
    to now, and a time of day ("tomorrow 9:00") is placed in the zone. Which one it is shows
    when the base moves: a count moves with it, a time of day stays."""
    nudge = timedelta(seconds=433)  # odd, so no time of day moves by it
    moved = _parse(phrase, base + nudge)
    if moved is not None and moved[0] - wall == nudge:
        return now + (wall - base).total_seconds()
    return wall.replace(tzinfo=ZoneInfo(zone)).timestamp()


def _parse(phrase: str, base: datetime) -> Parsed | None:
    """The wall-clock time `phrase` names as seen at `base`, and whether it says a time of
    day (or counts hours or minutes): "tomorrow" alone, or "2026-12-24", does not."""
    if phrase.isdigit():
        return None  # a lone number ("5 reasons to...") is no time
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "future",
        # Zones are applied in _instant: dateparser works on plain wall-clock numbers.
        "TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RELATIVE_BASE": base,
    }
    # The import under the same lock as the parse: two worker threads, one importing
    # dateparser while the other's parse loaded language data lazily, hung a test run.
    with _lock:
        from dateparser.date import DateDataParser  # imported when first needed: see above

        data = DateDataParser(languages=LANGUAGES, settings=settings).get_date_data(phrase)
    if data.date_obj is None:
        return None
    # Not `period`: it says "day" for "tomorrow 9:00" when now is 9:00 too.
    return data.date_obj.replace(tzinfo=None), "time" in data.parts


def _span(seconds: float) -> str:
    """`3 hours`, `2 days`, `40 minutes`: a rough length for words."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{round(seconds)} seconds"
