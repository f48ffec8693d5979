"""The keyword-search budget beside profile discovery: one ledger, two plans that do not
draw on each other, each source's interval from the budget it spends, and a refused search
pausing search watches only (through the real scheduler and poller against the simulator)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest

from bot.config import ThreadsConfig
from bot.events import Destination, Source, SourceKind
from bot.threads.client import ThreadsClient
from jobs.discovery import DiscoveryBudget, interval_by_kind, search_allowance
from jobs.discovery_pause import DiscoveryPause
from jobs.discovery_plan import DAY
from jobs.polling import PollOutcome, SourcePoller
from jobs.scheduler import PollScheduler, _job_id
from simulator import Quota, ThreadsSimulator
from storage.store import Store

START = 1_800_000_000.0
SETTINGS = ThreadsConfig(poll_interval=10, max_poll_interval=3600)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def watched(store: Store, kind: SourceKind, *keys: str) -> list[Source]:
    sources = []
    for key in keys:
        source = store.sources.ensure(kind, key)
        store.subscriptions.add(
            source, Destination("telegram", "1"), origin="chat", created_by=None
        )
        sources.append(source)
    return sources


def budgets(store: Store, clock: Clock) -> tuple[DiscoveryBudget, DiscoveryBudget]:
    profiles = DiscoveryBudget(store, SETTINGS, clock=clock)
    search = DiscoveryBudget(store, SETTINGS, clock=clock, allowance=search_allowance(SETTINGS))
    return profiles, search


def test_search_watches_share_their_own_budget_and_slow_down_when_there_are_many(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "b.db")
    clock = Clock()
    profiles, search = budgets(store, clock)
    watched(store, SourceKind.PROFILE, "bob")
    (one,) = watched(store, SourceKind.SEARCH, "tag:baking")

    alone = search.replan()
    watched(store, SourceKind.SEARCH, *[f"tag:t{n}" for n in range(19)])
    many = search.replan()

    # 2,200 less a twentieth in reserve, and no daily upkeep (no author card to refresh).
    assert alone.calls_per_day == pytest.approx(2090, rel=0.01)
    assert alone.interval(one.key) == pytest.approx(DAY / 2090, rel=0.01)
    assert many.fits
    assert many.interval(one.key) == pytest.approx(20 * DAY / 2090, rel=0.01)  # 20 share
    assert search.profiles() == [s for s in store.sources.active() if s.kind is SourceKind.SEARCH]
    assert [s.key for s in profiles.profiles()] == ["bob"]
    store.close()


def test_one_ledger_two_budgets_neither_spends_the_others(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    clock = Clock()
    profiles, search = budgets(store, clock)
    watched(store, SourceKind.PROFILE, "bob")
    watched(store, SourceKind.SEARCH, "tag:baking")
    for _ in range(1000):
        search.record("keyword_search")  # the one listener writes both, by endpoint
    for _ in range(300):
        profiles.record("profile_posts")

    assert (search.used(), search.left()) == (1000, 1200)
    assert (profiles.used(), profiles.left()) == (300, 700)
    assert profiles.replan().calls_per_day == pytest.approx(900 - 300, rel=0.01)
    assert search.replan().calls_per_day == pytest.approx(2090 - 1000, rel=0.01)
    clock.now += DAY + 1
    assert search.used() == 0 and profiles.used() == 0  # both leave the window after a day
    store.close()


def test_each_source_is_timed_by_the_budget_it_spends(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    clock = Clock()
    profiles, search = budgets(store, clock)
    (bob,) = watched(store, SourceKind.PROFILE, "bob")
    tags = watched(store, SourceKind.SEARCH, *[f"tag:t{n}" for n in range(10)])
    (me,) = watched(store, SourceKind.ME, "me")
    interval = interval_by_kind(profiles, search)

    assert interval(bob) == profiles.interval(bob) == profiles.plan.interval("bob")
    assert interval(tags[0]) == search.plan.interval(tags[0].key)
    assert interval(tags[0]) == pytest.approx(10 * DAY / 2090, rel=0.01)
    assert interval(me) == SETTINGS.poll_interval
    assert profiles.interval(tags[0]) == SETTINGS.poll_interval  # spends no discovery
    store.close()


def seconds_until(when: datetime | None) -> float:
    assert when is not None
    return (when - datetime.now().astimezone()).total_seconds()


async def test_a_refused_search_pauses_search_watches_only_until_a_probe_gets_through(
    tmp_path: Path, sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "b.db")
    sim.add_profile("bob", followers=5000)
    (bob,) = watched(store, SourceKind.PROFILE, "bob")
    tags = watched(store, SourceKind.SEARCH, "tag:baking", "tag:bread")
    sim.add_post("bob", text="a loaf", topic_tag="baking")  # so that a search counts
    changes: list[bool] = []
    polled = asyncio.Queue[PollOutcome]()

    def on_polled(outcome: PollOutcome) -> None:
        profile_pause.outcome(outcome)
        search_pause.outcome(outcome)
        polled.put_nowait(outcome)

    poller = SourcePoller(
        store, client, on_queued=lambda: None, connected_account=lambda: None, on_polled=on_polled
    )
    scheduler = PollScheduler(poller, interval=3600, start_spread=0)
    profile_pause = DiscoveryPause(scheduler, poller, profiles=lambda: [bob])
    search_pause = DiscoveryPause(
        scheduler,
        poller,
        profiles=lambda: tags,
        on_change=lambda paused, _: changes.append(paused),
        state=store.state,
        kind=SourceKind.SEARCH,
    )
    scheduler.start([])
    sim.set_quota(Quota.KEYWORD_SEARCH, 0)  # spent elsewhere: every search refused
    for source in (bob, *tags):
        scheduler.watch(source)
    try:
        for _ in range(3):
            await asyncio.wait_for(polled.get(), 10)

        assert changes == [True] and search_pause.paused and not profile_pause.paused
        assert scheduler.next_run(_job_id(tags[0])) is None  # both searches paused
        assert scheduler.next_run(_job_id(tags[1])) is None
        assert seconds_until(scheduler.next_run(_job_id(bob))) > 3000  # bob: on his interval
        assert round(seconds_until(scheduler.next_run("search probe")) / 10) * 10 == 60
        assert store.state.get("search pause") is not None  # kept across a restart
        assert store.state.get("discovery pause") is None

        sim.set_quota(Quota.KEYWORD_SEARCH, 2200)
        scheduler.run_soon("search probe")
        await asyncio.wait_for(polled.get(), 10)

        assert changes == [True, False] and not search_pause.paused
        assert store.state.get("search pause") is None
        for source in tags:
            assert scheduler.next_run(_job_id(source)) is not None
    finally:
        await scheduler.stop(grace=5)
        await poller.wait_idle(grace=5)
        store.close()


async def test_a_search_pause_survives_a_restart_and_leaves_profiles_alone(
    tmp_path: Path, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "b.db")
    (bob,) = watched(store, SourceKind.PROFILE, "bob")
    tags = watched(store, SourceKind.SEARCH, "tag:baking")
    store.state.put("search pause", {"backoff": 240.0, "learned": True})  # the run before
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)
    scheduler = PollScheduler(poller, interval=3600, start_spread=0)
    scheduler.start([bob, *tags])
    try:
        profiles = DiscoveryPause(scheduler, poller, profiles=lambda: [bob], state=store.state)
        searches = DiscoveryPause(
            scheduler, poller, profiles=lambda: tags, state=store.state, kind=SourceKind.SEARCH
        )

        assert not profiles.restore() and searches.restore()

        assert scheduler.next_run(_job_id(tags[0])) is None
        assert scheduler.next_run(_job_id(bob)) is not None
        assert round(seconds_until(scheduler.next_run("search probe")) / 10) * 10 == 60
        assert scheduler.next_run("discovery probe") is None
    finally:
        await scheduler.stop(grace=5)
        store.close()
