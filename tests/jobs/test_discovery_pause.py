"""The pause when Meta refuses discovery, through the real scheduler and poller against the
simulator: every public profile stops at once, a probe is tried after 60 s, then twice as
long each time up to an hour, and the first probe that gets through resumes every profile
while the connected account is never paused."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bot.events import Destination, Source, SourceKind
from bot.threads.client import ThreadsClient
from jobs.discovery_pause import PROBE_JOB, DiscoveryPause
from jobs.polling import PollOutcome, SourcePoller
from jobs.scheduler import PollScheduler, _job_id
from simulator import Quota, ThreadsSimulator
from storage.store import Store


def seconds_until(when: datetime | None) -> float:
    assert when is not None
    return (when - datetime.now().astimezone()).total_seconds()


async def test_refusals_pause_every_profile_and_probes_back_off_to_an_hour(
    tmp_path: Path, sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "b.db")
    sources: list[Source] = []
    for key, kind in (("bob", SourceKind.PROFILE), ("carol", SourceKind.PROFILE)):
        sim.add_profile(key, followers=5000)
        sources.append(store.sources.ensure(kind, key))
    sources.append(store.sources.ensure(SourceKind.ME, "me"))
    for source in sources:
        chat = Destination("telegram", "1")
        store.subscriptions.add(source, chat, origin="chat", created_by=None)
    changes: list[bool] = []
    learned: list[bool] = []
    polled = asyncio.Queue[PollOutcome]()

    def on_polled(outcome: PollOutcome) -> None:
        pause.outcome(outcome)
        polled.put_nowait(outcome)

    poller = SourcePoller(
        store, client, on_queued=lambda: None, connected_account=lambda: None, on_polled=on_polled
    )
    scheduler = PollScheduler(poller, interval=3600, start_spread=0)
    pause = DiscoveryPause(
        scheduler,
        poller,
        profiles=lambda: sources[:2],
        on_change=lambda paused, _: changes.append(paused),
        on_refused_again=lambda: learned.append(True),
    )
    scheduler.start([])
    for source in sources:
        scheduler.watch(source)
    sim.set_quota(Quota.DISCOVERY, 0)  # spent elsewhere: every lookup refused
    try:
        for _ in sources:  # the first polls, through the scheduler
            await asyncio.wait_for(polled.get(), 10)

        assert changes == [True]
        assert scheduler.next_run(_job_id(sources[0])) is None  # both profiles paused
        assert scheduler.next_run(_job_id(sources[1])) is None
        assert seconds_until(scheduler.next_run(_job_id(sources[2]))) > 3000  # me: as planned
        waits = [seconds_until(scheduler.next_run(PROBE_JOB))]
        for _ in range(7):
            scheduler.run_soon(PROBE_JOB)
            await asyncio.wait_for(polled.get(), 10)
            waits.append(seconds_until(scheduler.next_run(PROBE_JOB)))

        assert [round(w / 10) * 10 for w in waits] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
        assert learned == [True]  # a lasting refusal (the first probe refused too), told once

        # A probe that gets no answer at all (a 5xx) is tried again, not left paused.
        sim.set_quota(Quota.DISCOVERY, 1000)
        sim.fail_next("GET", "/profile_posts", kind="server_error", times=3)
        scheduler.run_soon(PROBE_JOB)
        await asyncio.wait_for(polled.get(), 10)
        assert pause.paused
        assert round(seconds_until(scheduler.next_run(PROBE_JOB)) / 10) * 10 == 3600

        scheduler.run_soon(PROBE_JOB)
        await asyncio.wait_for(polled.get(), 10)

        assert changes == [True, False]
        assert not pause.paused
        # Resumed now, not at their next interval: carol (not the probe's) is polled at once.
        while (outcome := await asyncio.wait_for(polled.get(), 10)).source.key != "carol":
            pass
        assert outcome.error is None
        for profile in sources[:2]:
            assert scheduler.next_run(_job_id(profile)) is not None  # on their interval again
    finally:
        await scheduler.stop(grace=5)
        await poller.wait_idle(grace=5)
        store.close()


async def test_a_refused_poll_of_the_connected_account_pauses_nothing(
    tmp_path: Path, sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    store = Store.open(tmp_path / "b.db")
    me = store.sources.ensure(SourceKind.ME, "me")
    store.subscriptions.add(me, Destination("telegram", "1"), origin="chat", created_by=None)
    outcomes: list[PollOutcome] = []

    def on_polled(outcome: PollOutcome) -> None:
        outcomes.append(outcome)
        pause.outcome(outcome)

    poller = SourcePoller(
        store, client, on_queued=lambda: None, connected_account=lambda: None, on_polled=on_polled
    )
    pause = DiscoveryPause(PollScheduler(poller, interval=3600), poller, profiles=lambda: [])
    sim.fail_next("GET", "/me/threads", kind="rate_limit")

    await poller.poll(me.id)

    assert outcomes[0].error is not None  # refused...
    assert not pause.paused  # ...but /me/threads spends no discovery: nothing to pause
    store.close()
