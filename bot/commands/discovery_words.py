"""How the commands word poll intervals and the discovery budget."""

from __future__ import annotations

from bot.commands.base import DiscoveryView
from bot.events import Source


def every(seconds: float) -> str:
    """ "every 45 s", "every 24 min", "every 1.5 h", "every 12 h"."""
    if seconds < 90:
        return f"every {seconds:.0f} s"
    if seconds < 3570:
        return f"every {seconds / 60:.0f} min"
    hours = seconds / 3600
    return f"every {hours:.0f} h" if hours >= 10 or hours.is_integer() else f"every {hours:.1f} h"


def watch_notice(discovery: DiscoveryView, source: Source) -> str:
    """What /watch adds for a public profile: how often it will be checked, and why."""
    profiles = len(discovery.profiles())
    share = (
        "the only profile drawing on Meta's"
        if profiles == 1
        else f"{profiles} profiles share Meta's"
    )
    line = (
        f"@{source.key} will be checked about {every(discovery.interval(source))}: "
        f"{share} {discovery.budget:,} daily lookups."
    )
    if not discovery.fits():
        line += (
            " That is not enough to check every watched profile "
            f"{every(discovery.max_poll_interval)}; unwatch some, or the operator can raise "
            "threads.max_poll_interval."
        )
    if discovery.paused:
        line += " Meta is refusing lookups right now; checks resume as soon as it answers."
    return line


def budget_line(discovery: DiscoveryView) -> str:
    used, left = discovery.used(), discovery.left()
    line = (
        f"Profile lookups (Meta allows {discovery.budget:,} a day): {used:,} used in the "
        f"last 24 h, {left:,} left"
    )
    if discovery.paused:
        line += "; paused: Meta refuses them, trying again with backoff"
    return line


def search_notice(search: DiscoveryView, source: Source) -> str:
    """What /watch adds for a search: how often it will run, and why."""
    count = len(search.profiles())
    share = (
        "the only search watch drawing on Meta's"
        if count == 1
        else f"{count} search watches share Meta's"
    )
    line = (
        f"{source.label} will be searched about {every(search.interval(source))}: "
        f"{share} {search.budget:,} daily keyword searches (one that finds nothing is free)."
    )
    if search.paused:
        line += " Meta is refusing searches right now; they resume as soon as it answers."
    return line


def search_budget_line(search: DiscoveryView) -> str:
    used, left = search.used(), search.left()
    line = (
        f"Keyword searches (Meta allows {search.budget:,} a day): {used:,} counted in the "
        f"last 24 h, {left:,} left"
    )
    if search.paused:
        line += "; paused: Meta refuses them, trying again with backoff"
    return line
