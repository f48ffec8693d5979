"""Posts that change after delivery, against the simulator on a clock the test moves: a post
edited inside its 15-minute window is re-read once after it and its chat message edited once;
an unchanged one is left alone; a deleted one is removed or marked; a holding subscription
gets the final text; a public profile's re-read spends one discovery request, and waits while
the budget is short; a webhook `delete` removes what was delivered.

The chat side is a recorder of the MessageEditor protocol (the chat platforms' boundary):
what an adapter was asked to edit or delete."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.config import ThreadsConfig
from bot.events import Destination, FeedItem, SourceKind
from bot.outbound import RetryAfter
from bot.threads.client import ThreadsClient
from bot.threads.webhooks import WebhookEvent
from jobs.discovery import DiscoveryBudget
from jobs.polling import SourcePoller
from jobs.post_changes import MARK, PostChanges
from jobs.webhook_feed import WebhookFeed
from simulator import ThreadsSimulator
from storage.store import Store

CHAT = Destination("telegram", "1")
PAST_THE_WINDOW = 17 * 60.0


@dataclass
class ChatRecorder:
    edits: list[tuple[Destination, tuple[tuple[str, ...], ...], str]] = field(default_factory=list)
    deletions: list[tuple[Destination, tuple[str, ...]]] = field(default_factory=list)
    flood_waits: list[float] = field(default_factory=list)  # the next edits' 429s, in order

    async def edit(
        self, destination: Destination, message_ids: Sequence[Sequence[str]], item: FeedItem
    ) -> None:
        if self.flood_waits:
            raise RetryAfter("Flood control exceeded", self.flood_waits.pop(0))
        ids = tuple(tuple(part) for part in message_ids)
        self.edits.append((destination, ids, item.post.text))

    async def delete(self, destination: Destination, message_ids: Sequence[str]) -> None:
        self.deletions.append((destination, tuple(message_ids)))


@dataclass
class Clock:
    now: float = field(default_factory=time.time)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


@pytest.fixture
def poller(store: Store, client: ThreadsClient) -> SourcePoller:
    return SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def budget(store: Store, client: ThreadsClient, clock: Clock) -> DiscoveryBudget:
    budget = DiscoveryBudget(store, ThreadsConfig(poll_interval=300), clock=clock)
    client.set_discovery_listener(budget.record)
    return budget


@pytest.fixture
def chat() -> ChatRecorder:
    return ChatRecorder()


@pytest.fixture
def changes(
    store: Store, client: ThreadsClient, chat: ChatRecorder, budget: DiscoveryBudget, clock: Clock
) -> PostChanges:
    return PostChanges(store, client, {"telegram": chat}, budget, clock=clock)


async def watch(store: Store, poller: SourcePoller, kind: SourceKind, key: str) -> int:
    source = store.sources.ensure(kind, key)
    store.subscriptions.add(source, CHAT, origin="chat", created_by=None)
    await poller.poll(source.id)  # the baseline
    return source.id


def deliver_all(store: Store) -> list[str]:
    """What the delivery worker would do: each owed row sent as message 100, 101, ..."""
    texts = []
    while (delivery := store.outbox.next_due(CHAT, time.time() + PAST_THE_WINDOW)) is not None:
        store.outbox.record_part(delivery, 0, [str(100 + delivery.id)])
        store.outbox.delivered(delivery.id)
        texts.append(delivery.item.post.text)
    return texts


async def test_an_edit_inside_the_window_updates_the_chat_message_once(
    sim: ThreadsSimulator,
    store: Store,
    poller: SourcePoller,
    changes: PostChanges,
    chat: ChatRecorder,
    clock: Clock,
) -> None:
    source_id = await watch(store, poller, SourceKind.ME, "me")
    edited = sim.add_post("alice", text="teh first")
    kept = sim.add_post("alice", text="as it was")
    await poller.poll(source_id)
    assert deliver_all(store) == ["teh first", "as it was"]
    sim.edit_post(edited.id, "the first")

    assert await changes.reread_due() == 0  # the window is still open
    clock.now += PAST_THE_WINDOW
    read = await changes.reread_due()
    again = await changes.reread_due()

    assert (read, again) == (2, 0)
    assert chat.edits == [(CHAT, (("101",),), "the first")]
    assert chat.deletions == []
    assert store.changes.item_of(edited.id).post.text == "the first"  # type: ignore[union-attr]
    assert store.changes.item_of(kept.id).post.text == "as it was"  # type: ignore[union-attr]


async def test_a_post_deleted_in_its_window_is_removed_or_marked(
    sim: ThreadsSimulator,
    store: Store,
    poller: SourcePoller,
    changes: PostChanges,
    chat: ChatRecorder,
    clock: Clock,
) -> None:
    source_id = await watch(store, poller, SourceKind.ME, "me")
    marking = Destination("telegram", "2")
    source = store.sources.get(source_id)
    assert source is not None
    sub, _ = store.subscriptions.add(source, marking, origin="chat", created_by=None)
    store.changes.set_policy(sub.id, edits="update", deleted="mark")
    post = sim.add_post("alice", text="oops")
    await poller.poll(source_id)
    deliver_all(store)
    later = time.time() + PAST_THE_WINDOW
    marked = store.outbox.next_due(marking, later)
    assert marked is not None
    store.outbox.record_part(marked, 0, ["700"])
    store.outbox.delivered(marked.id)
    sim.delete_post(post.id)

    clock.now += PAST_THE_WINDOW
    await changes.reread_due()

    assert chat.deletions == [(CHAT, ("101",))]
    assert chat.edits == [(marking, (("700",),), f"{MARK}\n\noops")]
    assert store.feed.post_for_message("telegram", "1", "101") is None  # no /reply to it
    assert await changes.reread_due() == 0


async def test_a_holding_subscription_gets_the_final_text_after_the_window(
    sim: ThreadsSimulator,
    store: Store,
    poller: SourcePoller,
    changes: PostChanges,
    clock: Clock,
) -> None:
    source_id = await watch(store, poller, SourceKind.ME, "me")
    [sub] = store.subscriptions.for_chat("telegram", "1")
    store.changes.set_policy(sub.id, edits="hold", deleted="remove")
    post = sim.add_post("alice", text="draft")
    await poller.poll(source_id)
    assert deliver_all(store) == []  # held, even long after
    sim.edit_post(post.id, "final")

    clock.now += PAST_THE_WINDOW
    await changes.reread_due()

    assert deliver_all(store) == ["final"]


async def test_a_public_profile_re_read_spends_one_discovery_request_and_waits_for_budget(
    sim: ThreadsSimulator,
    store: Store,
    poller: SourcePoller,
    changes: PostChanges,
    chat: ChatRecorder,
    budget: DiscoveryBudget,
    clock: Clock,
) -> None:
    sim.add_profile("bob", followers=5000)
    source_id = await watch(store, poller, SourceKind.PROFILE, "bob")
    post = sim.add_post("bob", text="hot take")
    await poller.poll(source_id)
    deliver_all(store)
    sim.edit_post(post.id, "warm take")
    clock.now += PAST_THE_WINDOW
    sim.advance(PAST_THE_WINDOW)  # Meta refuses an `until` still to come
    for _ in range(budget.left() - budget.reserve):  # the rest of the day is spent
        budget.record("profile_posts")
    spent = budget.used()

    assert await changes.reread_due() == 0
    assert (budget.used(), chat.edits) == (spent, [])  # nothing asked of Threads

    clock.now += 24 * 3600 + 1  # the spending ages out; the re-read was put off to then
    fresh = budget.used()
    assert await changes.reread_due() == 1
    assert budget.used() == fresh + 1  # one profile_posts page, as a poll
    assert chat.edits == [(CHAT, (("101",),), "warm take")]


async def test_a_webhook_delete_removes_the_delivered_message(
    sim: ThreadsSimulator,
    store: Store,
    client: ThreadsClient,
    poller: SourcePoller,
    changes: PostChanges,
    chat: ChatRecorder,
) -> None:
    source_id = await watch(store, poller, SourceKind.ME, "me")
    post = sim.add_post("alice", text="gone soon")
    await poller.poll(source_id)
    deliver_all(store)
    feed = WebhookFeed(store, client, poller, slow_interval=3600, on_deleted=changes.post_gone)
    sim.delete_post(post.id)

    await feed.handle(WebhookEvent("delete", post.id))

    assert chat.deletions == [(CHAT, ("101",))]


async def test_a_held_post_deleted_in_its_window_is_never_delivered(
    sim: ThreadsSimulator,
    store: Store,
    poller: SourcePoller,
    changes: PostChanges,
    clock: Clock,
) -> None:
    source_id = await watch(store, poller, SourceKind.ME, "me")
    [sub] = store.subscriptions.for_chat("telegram", "1")
    store.changes.set_policy(sub.id, edits="hold", deleted="remove")
    post = sim.add_post("alice", text="second thoughts")
    await poller.poll(source_id)
    sim.delete_post(post.id)

    clock.now += PAST_THE_WINDOW
    await changes.reread_due()

    assert deliver_all(store) == []
    assert store.outbox.counts_by_state() == {"dropped": 1}


async def test_a_post_deleted_by_webhook_is_not_read_again(
    sim: ThreadsSimulator,
    store: Store,
    client: ThreadsClient,
    poller: SourcePoller,
    changes: PostChanges,
    chat: ChatRecorder,
    clock: Clock,
) -> None:
    source_id = await watch(store, poller, SourceKind.ME, "me")
    post = sim.add_post("alice", text="gone soon")
    await poller.poll(source_id)
    deliver_all(store)
    sim.delete_post(post.id)
    await changes.post_gone(post.id, "deleted on Threads")
    sim.clear_requests()

    clock.now += PAST_THE_WINDOW
    assert await changes.reread_due() == 0

    assert sim.requests == []
    assert chat.deletions == [(CHAT, ("101",))]


async def test_an_edit_refused_by_a_flood_wait_is_made_after_it(
    sim: ThreadsSimulator,
    store: Store,
    poller: SourcePoller,
    changes: PostChanges,
    chat: ChatRecorder,
    clock: Clock,
) -> None:
    source_id = await watch(store, poller, SourceKind.ME, "me")
    post = sim.add_post("alice", text="typo")
    await poller.poll(source_id)
    deliver_all(store)
    sim.edit_post(post.id, "no typo")
    chat.flood_waits = [30.0]

    clock.now += PAST_THE_WINDOW
    refused = await changes.reread_due()
    clock.now += 10
    too_early = await changes.reread_due()
    clock.now += 25
    made = await changes.reread_due()

    assert (refused, too_early, made) == (0, 0, 1)
    assert chat.edits == [(CHAT, (("101",),), "no typo")]
