"""How often to poll each public profile so that a day of polling fits Meta's discovery budget.

`profile_posts` and `profile_lookup` share 1,000 requests per user per rolling 24 h, and every
request counts, even one that finds nothing. The plan gives each profile a share of the calls
left for the next 24 h (the budget, minus a reserve kept for people's commands, minus what the
last 24 h already spent), more to a profile that posts often or posted recently, never faster
than `poll_interval`, and no slower than `max_poll_interval` while the budget allows. Pure: the
caller reads the ledger and the activity and applies the intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DAY = 24 * 3600.0
# Calls each profile costs a day besides its polls: the daily refresh of its author card.
UPKEEP_PER_PROFILE = 1
RECENT = 6 * 3600.0  # a profile that posted within this long counts as active now


@dataclass(frozen=True, slots=True)
class Activity:
    """What the bridge saw of one profile: its posts over the last week, and the last one."""

    key: str
    posts_last_week: int = 0
    last_post_at: float | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    intervals: Mapping[str, float]  # profile key -> seconds between polls
    calls_left: int  # what the next 24 h may spend on polls and upkeep
    fits: bool  # every profile gets at least one poll per max_poll_interval

    def interval(self, key: str) -> float | None:
        return self.intervals.get(key)


def weight(activity: Activity, now: float) -> float:
    """A profile's claim on the calls: 1, plus its posts a day, doubled while it is active."""
    per_day = activity.posts_last_week / 7
    recent = activity.last_post_at is not None and now - activity.last_post_at < RECENT
    return (1.0 + per_day) * (2.0 if recent else 1.0)


def plan_intervals(
    profiles: Sequence[Activity],
    *,
    now: float,
    budget: int,
    reserve: int,
    used_last_day: int,
    poll_interval: float,
    max_poll_interval: float,
) -> Plan:
    calls_left = max(0, budget - reserve - used_last_day)
    if not profiles:
        return Plan({}, calls_left, True)
    polls = max(0.0, float(calls_left - UPKEEP_PER_PROFILE * len(profiles)))
    fastest = DAY / poll_interval  # polls a day at most
    slowest = DAY / max(max_poll_interval, poll_interval)  # polls a day wanted at least
    if polls < slowest * len(profiles):
        # Not even the minimum for everyone: an equal share (at least one poll a day each,
        # which the reserve and the rolling window absorb).
        each = max(1.0, polls / len(profiles))
        return Plan({p.key: DAY / min(each, fastest) for p in profiles}, calls_left, False)
    shares = _share(profiles, now, polls, slowest, fastest)
    return Plan({key: DAY / n for key, n in shares.items()}, calls_left, True)


def _share(
    profiles: Sequence[Activity], now: float, polls: float, low: float, high: float
) -> dict[str, float]:
    """Polls a day per profile: `low` each, and the rest by weight, none above `high`; what a
    capped profile cannot use goes to the others (water filling)."""
    shares = {p.key: low for p in profiles}
    open_ = {p.key: weight(p, now) for p in profiles}
    spare = polls - low * len(profiles)
    while spare > 1e-9 and open_:
        total = sum(open_.values())
        capped = []
        for key, w in open_.items():
            shares[key] += spare * w / total
        spare = 0.0
        for key in list(open_):
            if shares[key] > high:
                spare += shares[key] - high
                shares[key] = high
                capped.append(key)
        for key in capped:
            del open_[key]
    return shares
