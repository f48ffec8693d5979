"""A subscription a chat paused (/pause) in the poller's fan-out: it queues nothing, while
another chat watching the same profile receives every post, and the source is still polled
and recorded while only paused chats watch it (what /resume N brings back)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.events import Destination, SourceKind
from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from storage.store import Store

PAUSED = Destination("telegram", "-100111")
OTHER = Destination("discord", "4001")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


@pytest.fixture
def poller(store: Store, client: ThreadsClient) -> SourcePoller:
    return SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)


def queued_texts(store: Store, chat: Destination) -> list[str]:
    texts = []
    while (delivery := store.outbox.next_due(chat, time.time())) is not None:
        texts.append(delivery.item.post.text)
        store.outbox.delivered(delivery.id)
    return texts


async def test_a_paused_subscription_queues_nothing_and_the_other_chat_receives(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    paused, _ = store.subscriptions.add(source, PAUSED, origin="chat", created_by=None)
    store.subscriptions.add(source, OTHER, origin="chat", created_by=None)
    await poller.poll(source.id)  # the baseline
    store.subscriptions.hold(paused.id, time.time())
    sim.add_post("bob", text="one")
    sim.add_post("bob", text="two")

    assert await poller.poll(source.id) == 2  # two deliveries: both to the other chat

    assert queued_texts(store, PAUSED) == []
    assert queued_texts(store, OTHER) == ["one", "two"]


async def test_a_source_only_paused_chats_watch_is_still_recorded(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    paused, _ = store.subscriptions.add(source, PAUSED, origin="chat", created_by=None)
    await poller.poll(source.id)
    held_at = time.time()
    store.subscriptions.hold(paused.id, held_at)
    sim.add_post("bob", text="while paused")

    assert await poller.poll(source.id) == 0

    assert queued_texts(store, PAUSED) == []
    recorded = store.feed.recorded_since(source.id, held_at)
    assert [item.post.text for item in recorded] == ["while paused"]
