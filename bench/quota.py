"""Quota benchmark: one simulated day of polling public profiles within Meta's discovery budget.

The real SourcePoller polls the real Threads simulator over HTTP (a real ThreadsClient, a real
Store on a temporary SQLite file, one chat subscribed to each profile) on the simulator's
clock, which the benchmark moves forward in small steps; DiscoveryBudget reads the same
virtual time, so the ledger's rolling window is virtual too. The posting trace is seeded and
bursty: a few busy profiles post several bursts a day (posts minutes apart), most post a
little, nearly nobody posts at night; the store starts with a week of that history, as a
bridge that has been running would have. Two modes over the same trace:

- planner: each profile polled at the interval DiscoveryBudget gives it (budget 1000, reserve
  100, poll_interval 300 s, max_poll_interval 3600 s), re-planned every 10 minutes;
- uniform: every profile at one interval, chosen so that it makes as many polls as the
  planner did (so the same number of discovery calls).

The scheduling itself is the PollScheduler's rule replayed on virtual time (APScheduler runs on
wall time): a poll every interval, and a re-plan never moves a next poll later than the new
interval from now. At the end of the day every profile is polled once more, in both modes.
The ledger starts empty (the first day with the planner). The poller's own cursor is on wall
time, so each poll asks for the posts since the run began: one page (no profile posts 100 in a
day), so still one call per poll.
For 5, 20 and 50 profiles it prints a table per mode: discovery calls (counted from the
simulator's request log, and whether the ledger agrees), polls, the median and p95 delay
between a post and the poll that recorded it, and posts missed (never recorded); then the
planner's median improvement over uniform.

    python -m bench.quota
    python -m bench.quota --profiles 5,20 --hours 24 --step 15 --seed 1
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import random
import statistics
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ThreadsConfig
from bot.events import Destination, FeedItem, MediaKind, Post, Source, SourceKind
from bot.fanout import fan_out
from bot.threads.client import DISCOVERY_ENDPOINTS, ThreadsClient
from jobs.discovery import DiscoveryBudget
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from storage.store import Store

HOUR = 3600.0
DAY = 24 * HOUR
WAKING = 16 * HOUR  # the run starts at 07:00: posts mostly before 23:00
REPLAN = 600.0  # the bridge's "discovery plan" job
SETTINGS = ThreadsConfig(
    poll_interval=300, discovery_budget=1000, discovery_reserve=100, max_poll_interval=3600
)


@dataclass(frozen=True, slots=True)
class TracePost:
    profile: str
    at: float  # seconds from the start of the run


@dataclass(frozen=True, slots=True)
class Result:
    mode: str
    calls: int  # discovery requests the simulator received
    ledger: int  # what the ledger counted for them
    polls: int
    delays: list[float]  # seconds from each recorded post to the poll that recorded it
    missed: int

    @property
    def median(self) -> float:
        return statistics.median(self.delays) if self.delays else 0.0

    @property
    def p95(self) -> float:
        ordered = sorted(self.delays)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0.0


def _tier(index: int) -> str:
    """One profile in five busy, two moderate, two quiet."""
    return ("busy", "moderate", "moderate", "quiet", "quiet")[index % 5]


def day_of_posts(rng: random.Random, tier: str, length: float) -> list[float]:
    """Post times within one run of `length` seconds starting at 07:00: bursts of posts a few
    minutes apart, at random daytime hours, a burst at night now and then."""
    waking = min(length, WAKING)
    if tier == "busy":
        bursts, sizes = max(1, round(rng.randint(4, 7) * waking / WAKING)), (3, 8)
    elif tier == "moderate":
        bursts, sizes = round(rng.randint(1, 3) * waking / WAKING), (1, 4)
    else:
        bursts, sizes = int(rng.random() < 0.4 * waking / WAKING), (1, 2)
    times = []
    for _ in range(bursts):
        night = length > WAKING and rng.random() < 0.1
        at = rng.uniform(WAKING, length) if night else rng.uniform(60, waking)
        for _ in range(rng.randint(*sizes)):
            if at < length:
                times.append(at)
            at += rng.uniform(60, 480)
    return sorted(times)


def posting_trace(profiles: int, hours: float, seed: int) -> tuple[list[TracePost], list[int]]:
    """The run's posts, in time order, and each profile's posts over the week before."""
    rng = random.Random(seed)
    posts, week = [], []
    for i in range(profiles):
        name = f"profile{i:02d}"
        week.append(sum(len(day_of_posts(rng, _tier(i), DAY)) for _ in range(7)))
        posts += [TracePost(name, at) for at in day_of_posts(rng, _tier(i), hours * HOUR)]
    return sorted(posts, key=lambda p: p.at), week


class Day:
    """One mode's run: a simulator, a store and a poller, on the simulator's clock."""

    def __init__(self, sim: ThreadsSimulator, store: Store, threads: ThreadsClient) -> None:
        self.sim = sim
        self.store = store
        self.start = sim.state.clock.now()
        self.budget = DiscoveryBudget(store, SETTINGS, clock=sim.state.clock.now)
        threads.set_discovery_listener(self.budget.record)
        self.poller = SourcePoller(
            store, threads, on_queued=lambda: None, connected_account=lambda: None
        )
        self.pending: dict[str, dict[str, float]] = {}  # profile -> post id -> created at
        self.delays: list[float] = []
        self.polls = 0

    def now(self) -> float:
        return self.sim.state.clock.now() - self.start

    def move_to(self, t: float) -> None:
        ahead = self.start + t - self.sim.state.clock.now()
        if ahead > 0:
            self.sim.advance(ahead)

    def publish(self, post: TracePost) -> None:
        stamp = datetime.fromtimestamp(int(self.start + post.at), UTC)
        made = self.sim.add_post(post.profile, text=f"post at {post.at:.0f}s", timestamp=stamp)
        self.pending.setdefault(post.profile, {})[made.id] = stamp.timestamp() - self.start

    async def poll(self, source: Source) -> None:
        await self.poller.poll(source.id)
        self.polls += 1
        waiting = self.pending.get(source.key, {})
        for post_id in self.store.feed.seen_ids(source.id, list(waiting)):
            self.delays.append(self.now() - waiting.pop(post_id))

    def discovery_calls(self) -> int:
        return sum(
            1 for r in self.sim.requests if r.path.rsplit("/", 1)[-1] in DISCOVERY_ENDPOINTS
        )


def watch(store: Store, sim: ThreadsSimulator, week: Sequence[int], now: float) -> list[Source]:
    """The profiles, each watched by one chat, with last week's posts already recorded."""
    sources = []
    rng = random.Random(len(week))
    for i, count in enumerate(week):
        name = f"profile{i:02d}"
        sim.add_profile(name)
        source = store.sources.ensure(SourceKind.PROFILE, name)
        history = [
            FeedItem(
                Post(
                    f"{name}-old-{n}",
                    MediaKind.TEXT,
                    timestamp=datetime.fromtimestamp(now - rng.uniform(8 * HOUR, 7 * DAY), UTC),
                )
            )
            for n in range(count)
        ]
        store.feed.record(source, history, int(now), baseline=False, fan_out=fan_out)
        store.subscriptions.add(
            source, Destination("telegram", str(1000 + i)), origin="config", created_by=None
        )
        sources.append(source)
    return sources


async def run_mode(
    mode: str,
    trace: Sequence[TracePost],
    week: Sequence[int],
    *,
    hours: float,
    step: float,
    uniform_polls: int = 0,
) -> Result:
    """One day of one mode; `uniform_polls` is the number of polls uniform mode spreads out."""
    length = hours * HOUR
    with tempfile.TemporaryDirectory() as tmp:
        async with ThreadsSimulator() as sim:
            token = sim.add_account("bench").token
            store = Store.open(Path(tmp) / "bridge.db")
            async with ThreadsClient(token, api_base=sim.base_url) as threads:
                day = Day(sim, store, threads)
                sources = watch(store, sim, week, day.start)
                count = len(sources)
                if mode == "planner":
                    intervals = {s.id: day.budget.interval(s) for s in sources}
                    due = {s.id: 0.0 for s in sources}  # polled as the bridge starts
                else:
                    every = length * count / max(1, uniform_polls)
                    intervals = {s.id: every for s in sources}
                    due = {s.id: n * every / count for n, s in enumerate(sources)}
                upcoming = list(trace)
                next_replan = REPLAN
                t = step
                while t < length:
                    day.move_to(t)
                    while upcoming and upcoming[0].at <= t:
                        day.publish(upcoming.pop(0))
                    if mode == "planner" and t >= next_replan:
                        next_replan += REPLAN
                        day.budget.replan()
                        for s in sources:
                            seconds = day.budget.interval(s)
                            if abs(seconds - intervals[s.id]) >= 0.02 * intervals[s.id]:
                                intervals[s.id] = seconds
                                due[s.id] = min(due[s.id], t + seconds)
                    for s in sources:
                        if due[s.id] <= t:
                            await day.poll(s)
                            due[s.id] += intervals[s.id]
                    t += step
                calls, ledger = day.discovery_calls(), day.budget.used()
                day.move_to(length)
                for s in sources:  # the closing poll: what is still unrecorded now is lost
                    await day.poll(s)
                closing = day.discovery_calls() - calls
                missed = sum(len(waiting) for waiting in day.pending.values())
            store.close()
    return Result(mode, calls + closing, ledger + closing, day.polls, day.delays, missed)


async def compare(profiles: int, *, hours: float, step: float, seed: int) -> list[Result]:
    """The planner's day, then uniform polling with as many polls, on the same trace."""
    trace, week = posting_trace(profiles, hours, seed)
    planner = await run_mode("planner", trace, week, hours=hours, step=step)
    scheduled = planner.polls - profiles  # less the closing poll
    uniform = await run_mode(
        "uniform", trace, week, hours=hours, step=step, uniform_polls=scheduled
    )
    return [planner, uniform]


def report(profiles: int, posts: int, results: Sequence[Result]) -> str:
    lines = [
        f"{profiles} profiles, {posts} posts",
        f"  {'mode':<8} {'calls':>6} {'ledger':>7} {'polls':>6} {'median':>10} {'p95':>10}"
        f" {'missed':>7}",
    ]
    for r in results:
        lines.append(
            f"  {r.mode:<8} {r.calls:>6} {r.ledger:>7} {r.polls:>6} {r.median / 60:>6.1f} min"
            f" {r.p95 / 60:>6.1f} min {r.missed:>7}"
        )
    planner, uniform = results
    if uniform.median > 0:
        gain = 1 - planner.median / uniform.median
        than = "lower" if gain >= 0 else "higher"
        lines.append(
            f"  planner's median delay {abs(gain):.0%} {than} than uniform's "
            f"(goal: at least 30% lower): {'met' if gain >= 0.3 else 'NOT met'}"
        )
    return "\n".join(lines)


async def run(
    profile_counts: Sequence[int] = (5, 20, 50),
    *,
    hours: float = 24.0,
    step: float = 15.0,
    seed: int = 1,
) -> dict[int, list[Result]]:
    """Every profile count's comparison, printed as it completes."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    print(
        f"quota benchmark: {hours:g} simulated hours from 07:00, budget "
        f"{SETTINGS.discovery_budget} (reserve {SETTINGS.discovery_reserve}), poll_interval "
        f"{SETTINGS.poll_interval:.0f} s, max_poll_interval {SETTINGS.max_poll_interval:.0f} s, "
        f"steps of {step:g} s, seed {seed}"
    )
    results = {}
    for profiles in profile_counts:
        results[profiles] = await compare(profiles, hours=hours, step=step, seed=seed)
        posts = len(posting_trace(profiles, hours, seed)[0])
        print(report(profiles, posts, results[profiles]), flush=True)
    return results


def main() -> None:
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"  # the simulator is on loopback
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--profiles", default="5,20,50", help="profile counts, comma-separated")
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--step", type=float, default=15.0, help="virtual seconds per step")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = [int(n) for n in args.profiles.split(",")]
    asyncio.run(run(counts, hours=args.hours, step=args.step, seed=args.seed))


if __name__ == "__main__":
    main()
