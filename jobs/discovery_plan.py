"""How often to poll each public profile so that polling fits Meta's discovery budget.

`profile_posts` and `profile_lookup` share 1,000 requests per user per rolling 24 h, and every
request counts, even one that finds nothing. `sustainable_rate` says how many requests a day
can be made from now on without the rolling window ever holding more than the budget minus a
reserve kept for people's commands, given when the requests still in the window were made (they
leave it 24 h later). `plan_intervals` shares that rate out: more to a profile that posts often
or posted recently, never faster than `poll_interval`, every profile at least once per
`max_poll_interval` while the rate allows (and at least half an equal share when it does not).
Pure: the caller reads the ledger and the activity and applies the intervals.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DAY = 24 * 3600.0
# Calls each profile costs a day besides its polls: the daily refresh of its author card.
UPKEEP_PER_PROFILE = 1
RECENT = 6 * 3600.0  # a profile that posted within this long counts as active now
BURST = 3600.0  # one that posted within this long may well post again in minutes


@dataclass(frozen=True, slots=True)
class Activity:
    """What the bridge saw of one profile: its posts over the last week, and the last one."""

    key: str
    posts_last_week: int = 0
    last_post_at: float | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    intervals: Mapping[str, float]  # profile key -> seconds between polls
    calls_per_day: float  # what polls and upkeep may spend, from now on
    fits: bool  # every profile gets at least one poll per max_poll_interval

    def interval(self, key: str) -> float | None:
        return self.intervals.get(key)


def weight(activity: Activity, now: float) -> float:
    """A profile's claim on the calls: 1 plus its posts a day, doubled while it is active
    (posted in the last 6 h) and quadrupled in the hour after a post, when more often follow
    within minutes (bench/quota.py measures the effect on a bursty trace)."""
    per_day = activity.posts_last_week / 7
    since = now - activity.last_post_at if activity.last_post_at is not None else None
    boost = 1.0 if since is None or since >= RECENT else 2.0 if since >= BURST else 4.0
    return (1.0 + per_day) * boost


def sustainable_rate(
    call_times: Sequence[float],
    *,
    now: float,
    limit: int,
    elsewhere: tuple[int, float] | None = None,
) -> float:
    """Requests a day that keep every rolling 24 h window within `limit`, from `now` on.

    `call_times` are the requests of the last 24 h (each leaves the window a day after it was
    made); `elsewhere` is (count, when) of requests Meta counted that the ledger did not see,
    taken as leaving evenly over the day after `when`. Just before each moment requests leave,
    the ones still in the window plus the rate's requests since now must fit in `limit` (plus
    the one that goes out as soon as a slot frees: requests are whole).
    """
    times = sorted(t for t in call_times if t > now - DAY)

    def unseen(x: float) -> float:
        return still_counted(elsewhere, now + x)

    moments = [t + DAY - now for t in times] + [DAY * k / 24 for k in range(1, 25)]
    best = float(limit)
    for x in moments:
        if x <= 0:
            continue
        still_in = len(times) - bisect.bisect_left(times, now + x - DAY) + unseen(x)
        best = min(best, (limit + 1 - still_in) * DAY / x)
    return max(0.0, best)


def still_counted(elsewhere: tuple[int, float] | None, moment: float) -> float:
    """How many of the requests Meta counted but the ledger did not, (count, when refused),
    are still inside the rolling window at `moment`: they leave evenly over the day after."""
    if elsewhere is None:
        return 0.0
    count, at = elsewhere
    return count * max(0.0, 1.0 - (moment - at) / DAY)


def plan_intervals(
    profiles: Sequence[Activity],
    *,
    now: float,
    calls_per_day: float,
    poll_interval: float,
    max_poll_interval: float,
    upkeep: float = UPKEEP_PER_PROFILE,
) -> Plan:
    """`upkeep`: the requests each source costs a day besides its polls (a profile's author
    card; a search watch has none)."""
    if not profiles:
        return Plan({}, calls_per_day, True)
    polls = max(0.0, calls_per_day - upkeep * len(profiles))
    fastest = DAY / poll_interval  # polls a day at most
    slowest = DAY / max(max_poll_interval, poll_interval)  # polls a day wanted at least
    fits = polls >= slowest * len(profiles)
    # Short of the minimum for everyone: each still gets half an equal share (and at least one
    # poll a day), and the rest goes by activity, so a burst is still seen soon.
    low = slowest if fits else max(1.0, polls / len(profiles) / 2)
    shares = _share(profiles, now, max(polls, low * len(profiles)), min(low, fastest), fastest)
    return Plan({key: DAY / n for key, n in shares.items()}, calls_per_day, fits)


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
