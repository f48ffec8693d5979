"""IANA time zones as people type them: `Europe/Berlin`, `europe/berlin`, `Berlin`."""

from __future__ import annotations

import functools
import zoneinfo

UTC_NAMES = ("UTC", "Etc/UTC", "GMT")


@functools.cache
def _known() -> dict[str, str]:
    # available_timezones() walks the zone database (system files, or the tzdata package):
    # a few milliseconds, once.
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def find_zone(typed: str) -> str | None:
    """The zone's canonical name, or None. Case does not matter, and a city alone is enough
    when only one zone is named after it (`berlin` -> `Europe/Berlin`)."""
    typed = typed.strip().replace(" ", "_")
    if not typed:
        return None
    if typed.upper() in UTC_NAMES:
        return "UTC"
    known = _known()
    exact = known.get(typed.lower())
    if exact is not None:
        return exact
    if "/" in typed:
        return None
    cities = [name for key, name in known.items() if key.rsplit("/", 1)[-1] == typed.lower()]
    return cities[0] if len(cities) == 1 else None
