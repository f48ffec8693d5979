"""The publish queue as people live it, through the real Bridge and a real PublishWorker on a
virtual clock: posts go in order; when Meta's daily quota is spent the queue waits, says so,
and publishes when it frees; a crash mid-publish repeats nothing and loses nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from bot.commands import Context
from bot.commands.post_options import PostOptions
from bot.commands.publish_request import PublishRequest, execute
from bot.events import Destination
from bot.threads.client import ThreadsClient
from bot.threads.publish import Published
from jobs.publish_worker import PublishWorker
from simulator import SimUser, ThreadsSimulator
from simulator.quotas import Quota
from storage.publish_queue import PUBLISHED, QueuedPost
from storage.store import Store
from tests.core.conftest import GROUP, PUBLISHER, RecordingAdapter
from tests.virtual_time import VirtualClock


@dataclass
class Notices:
    """What the worker told chats on its own (a post that outlived its command's wait)."""

    said: list[tuple[Destination, str]] = field(default_factory=list)
    _new: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, chat: Destination, text: str) -> None:
        self.said.append((chat, text))
        self._new.set()

    async def next(self) -> str:
        while not self.said:
            await asyncio.wait_for(self._new.wait(), 10)
            self._new.clear()
        return self.said.pop(0)[1]


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def notices() -> Notices:
    return Notices()


def make_worker(
    store: Store, ctx: Context, client: ThreadsClient, clock: VirtualClock, notices: Notices
) -> PublishWorker:
    """The worker as BridgeApp builds it."""

    async def run(row: QueuedPost, on_started: Callable[[int], None]) -> list[Published]:
        request = PublishRequest.from_json(row.request)
        return await execute(ctx, row.chat, row.user, request, on_started)

    return PublishWorker(
        store.queue,
        store.publications,
        run,
        quota=client.publishing_limit,
        notify=notices,
        clock=clock,
    )


@pytest.fixture
async def worker(
    store: Store, ctx: Context, client: ThreadsClient, clock: VirtualClock, notices: Notices
) -> AsyncIterator[PublishWorker]:
    started = make_worker(store, ctx, client, clock, notices)
    ctx.publishing = started
    started.start()
    yield started
    await started.stop()


async def test_a_spent_quota_holds_the_post_says_when_and_publishes_it_later(
    worker: PublishWorker,
    telegram_chat: RecordingAdapter,
    sim: ThreadsSimulator,
    alice: SimUser,
    clock: VirtualClock,
    notices: Notices,
) -> None:
    sim.set_quota(Quota.POSTS, 1)  # Meta's 250 a day, reached early
    first = await telegram_chat.send(GROUP, PUBLISHER, "/post one")
    second = await telegram_chat.send(GROUP, PUBLISHER, "/post two")

    assert first.text.startswith("Published on Threads: ")
    assert second.text.startswith(
        "Queued as #2: Threads' daily publishing limit is used up; it goes out at about "
    )
    assert [p.text for p in sim.posts_by("alice")] == ["one"]
    status = await telegram_chat.send(GROUP, PUBLISHER, "/status")
    assert "Posts waiting to be published: 1" in status.text.splitlines()

    sim.advance(24 * 3600 + 1)  # Meta's rolling window moves on...
    clock.advance(24 * 3600 + 1)  # ...and so does the bridge's
    notice = await notices.next()

    posts = {p.text: p for p in sim.posts_by("alice")}
    assert set(posts) == {"one", "two"}
    assert notice == f"Published on Threads (queued #2): {posts['two'].permalink}"
    assert notices.said == []  # told once


async def test_posts_go_in_order_and_a_cancelled_one_never(
    store: Store,
    ctx: Context,
    client: ThreadsClient,
    clock: VirtualClock,
    notices: Notices,
    sim: ThreadsSimulator,
    alice: SimUser,
) -> None:
    now = clock.time()
    for text, due in (("third", 30), ("first", 10), ("gone", 15), ("second", 20)):
        request = PublishRequest("post", PostOptions(text))
        store.queue.add("post", GROUP, PUBLISHER, request.to_json(), due_at=now + due, now=now)
    assert store.queue.cancel(3)  # "gone"
    worker = make_worker(store, ctx, client, clock, notices)
    worker.start()
    try:
        for _ in range(3):
            clock.advance(10)
            await notices.next()
    finally:
        await worker.stop()

    published = sorted(sim.posts_by("alice"), key=lambda p: p.sort_key)
    assert [p.text for p in published] == ["first", "second", "third"]


async def test_after_a_crash_mid_publish_nothing_is_repeated_and_nothing_lost(
    store: Store,
    ctx: Context,
    client: ThreadsClient,
    clock: VirtualClock,
    notices: Notices,
    sim: ThreadsSimulator,
    alice: SimUser,
) -> None:
    """Two rows a kill -9 left `publishing`: one had gone out (its publication says so), one
    had not reached Threads. After the restart: each post exists exactly once."""
    went = store.queue.add(
        "post", GROUP, PUBLISHER, PublishRequest("post", PostOptions("went")).to_json()
    )
    lost = store.queue.add(
        "post", GROUP, PUBLISHER, PublishRequest("post", PostOptions("lost")).to_json()
    )
    for row_id in (went, lost):
        assert store.queue.start(row_id)
    # "went" was published before the crash (as the Publisher records it)...
    done = await ctx.publisher.text("went")
    publication = store.publications.start(GROUP, PUBLISHER, "post", "went")
    store.publications.add_published(publication, done.id, done.permalink)
    store.publications.finish(publication)
    store.queue.link_publication(went, publication)
    # ...and "lost" died after its publication row, before any container.
    store.queue.link_publication(lost, store.publications.start(GROUP, PUBLISHER, "post", "lost"))

    worker = make_worker(store, ctx, client, clock, notices)
    worker.recover()
    worker.start()
    try:
        notice = await notices.next()
    finally:
        await worker.stop()

    texts = sorted(p.text for p in sim.posts_by("alice"))
    assert texts == ["lost", "went"]
    assert notice.startswith("Published on Threads (queued #2): ")
    states = [store.queue.get(row_id).state for row_id in (went, lost)]  # type: ignore[union-attr]
    assert states == [PUBLISHED, PUBLISHED]
