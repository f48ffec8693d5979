"""The APScheduler set-up: one job per source, polling at the interval."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.events import Destination, Source, SourceKind
from bot.threads.client import ThreadsClient
from jobs.polling import PollOutcome, SourcePoller
from jobs.scheduler import PollScheduler
from simulator import ThreadsSimulator
from storage.store import Store


async def test_one_job_per_source_polls_every_interval(
    tmp_path: Path, sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    for chat in ("1", "2", "3"):
        store.subscriptions.add(
            source, Destination("telegram", chat), origin="chat", created_by=None
        )
    polls: asyncio.Queue[Source] = asyncio.Queue()

    def polled(outcome: PollOutcome) -> None:
        polls.put_nowait(outcome.source)

    poller = SourcePoller(
        store, client, on_queued=lambda: None, connected_account=lambda: None, on_polled=polled
    )
    scheduler = PollScheduler(poller, interval=1.0, start_spread=0.0)
    scheduler.start(store.sources.active())
    scheduler.watch(source)  # already scheduled: no second job
    try:
        first = await asyncio.wait_for(polls.get(), 10)
        second = await asyncio.wait_for(polls.get(), 10)
    finally:
        await scheduler.stop(grace=5)
        await poller.wait_idle(grace=5)

    assert first.id == second.id == source.id
    fetches = [r for r in sim.requests if r.path.endswith("/profile_posts")]
    assert len(fetches) == 2  # three chats, one fetch per poll
    assert polls.empty()
