"""Polling a source against the simulator: baseline, catch-up, order, one fetch per source."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.events import Destination, MediaKind, SourceKind
from bot.threads.client import ThreadsClient
from jobs import polling
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from storage.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


@pytest.fixture
def poller(store: Store, client: ThreadsClient) -> SourcePoller:
    woken: list[bool] = []
    return SourcePoller(
        store, client, on_queued=lambda: woken.append(True), connected_account=lambda: None
    )


def watched_by(store: Store, username: str, *chats: str) -> int:
    source = store.sources.ensure(SourceKind.PROFILE, username)
    for chat in chats:
        store.subscriptions.add(
            source, Destination("telegram", chat), origin="chat", created_by=None
        )
    return source.id


def queued_texts(store: Store, chat: str) -> list[str]:
    texts = []
    destination = Destination("telegram", chat)
    while (delivery := store.outbox.next_due(destination, time.time())) is not None:
        texts.append(delivery.item.post.text)
        store.outbox.delivered(delivery.id)
    return texts


async def test_first_poll_is_a_silent_baseline(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob", followers=5000)
    for n in range(3):
        sim.add_post("bob", text=f"old {n}", timestamp=sim.now() - timedelta(minutes=5))
    source_id = watched_by(store, "bob", "1")

    assert await poller.poll(source_id) == 0
    sim.add_post("bob", text="new")
    assert await poller.poll(source_id) == 1
    assert queued_texts(store, "1") == ["new"]


async def test_catch_up_follows_pages_and_delivers_oldest_first(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polling, "PAGE_SIZE", 4)  # ten posts, three pages
    sim.add_profile("bob", followers=5000)
    source_id = watched_by(store, "bob", "1")
    await poller.poll(source_id)
    for n in range(10):
        sim.advance(60)
        sim.add_post("bob", text=f"while away {n}")
    sim.clear_requests()

    assert await poller.poll(source_id) == 10

    assert queued_texts(store, "1") == [f"while away {n}" for n in range(10)]
    pages = [r for r in sim.requests if r.path.endswith("/profile_posts")]
    assert len(pages) == 3
    assert all(r.query.get("since") for r in pages)


async def test_one_fetch_serves_every_watching_chat(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob", followers=5000)
    source_id = watched_by(store, "bob", *[str(n) for n in range(50)])
    await poller.poll(source_id)
    sim.add_post("bob", text="to fifty chats")
    sim.clear_requests()

    assert await poller.poll(source_id) == 50

    assert len([r for r in sim.requests if r.path.endswith("/profile_posts")]) == 1
    assert queued_texts(store, "49") == ["to fifty chats"]


async def test_quotes_and_reposts_carry_what_they_relate_to(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, client: ThreadsClient
) -> None:
    sim.add_profile("bob", followers=5000)
    sim.add_profile("carol", name="Carol", followers=5000)
    original = sim.add_post("carol", text="the original")
    source_id = watched_by(store, "bob", "1")
    await poller.poll(source_id)
    sim.add_post("bob", text="so true", quote_of=original.id)
    await poller.poll(source_id)

    delivery = store.outbox.next_due(Destination("telegram", "1"), time.time())
    assert delivery is not None
    assert delivery.item.related is not None
    assert delivery.item.related.permalink == original.permalink
    assert delivery.item.author is not None and delivery.item.author.follower_count == 5000
    assert delivery.item.post.kind is MediaKind.TEXT


async def test_failures_are_recorded_on_the_source(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob", followers=5000)
    source_id = watched_by(store, "bob", "1")
    sim.fail_next("GET", "/profile_posts", kind="rate_limit")

    assert await poller.poll(source_id) == 0

    source = store.sources.get(source_id)
    assert source is not None and source.failures == 1
    assert source.last_error is not None and "rate limit" in source.last_error
    assert source.cursor is None  # nothing taken yet: the next poll is still the baseline
