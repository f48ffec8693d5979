"""Polling the connected account's inbox: replies to its posts and posts that mention it."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ThreadsConfig
from bot.events import Destination, Profile, SourceKind
from bot.threads.client import ThreadsClient
from jobs.discovery import DiscoveryBudget
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from simulator.models import SimUser
from storage.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


@pytest.fixture
def poller(store: Store, client: ThreadsClient, alice: SimUser) -> SourcePoller:
    me = Profile(alice.id, "alice", "Alice")
    return SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: me)


def watched(store: Store, kind: SourceKind) -> int:
    source = store.sources.ensure(kind, kind.value)
    store.subscriptions.add(source, Destination("telegram", "1"), origin="chat", created_by=None)
    return source.id


def queued(store: Store) -> list[tuple[str, str, str | None]]:
    """(author, text, the text of the post it answers) of each delivery, in order."""
    found = []
    destination = Destination("telegram", "1")
    while (delivery := store.outbox.next_due(destination, time.time())) is not None:
        item = delivery.item
        parent = item.related.text if item.related else None
        found.append((item.post.username or "", item.post.text, parent))
        store.outbox.delivered(delivery.id)
    return found


async def test_replies_to_my_posts_after_a_silent_baseline(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    sim.add_profile("carol")
    earlier = sim.now() - timedelta(minutes=5)
    post = sim.add_post("alice", text="What do you think?", timestamp=earlier)
    quiet = sim.add_post("alice", text="nobody answers this", timestamp=earlier)
    sim.add_post("bob", text="old answer", reply_to=post.id, timestamp=earlier)
    source_id = watched(store, SourceKind.REPLIES)

    assert await poller.poll(source_id) == 0  # the baseline
    sim.advance(60)
    first = sim.add_post("bob", text="I agree", reply_to=post.id)
    sim.add_post("alice", text="thanks!", reply_to=first.id)  # my own: not news
    sim.add_post("carol", text="me too", reply_to=first.id)  # deeper in the conversation
    sim.add_post("bob", text="not a reply")
    sim.clear_requests()

    assert await poller.poll(source_id) == 2
    assert queued(store) == [
        ("bob", "I agree", "What do you think?"),
        ("carol", "me too", "I agree"),
    ]
    # Only the posts with replies have their conversation read, and nothing is discovery.
    paths = [r.path for r in sim.requests]
    assert not [p for p in paths if "profile_" in p]
    # A post without replies has only its waiting ones looked for (it is of the last week).
    assert [p.rsplit("/", 1)[1] for p in paths if quiet.id in p] == ["pending_replies"]

    sim.clear_requests()
    assert await poller.poll(source_id) == 0  # already told


async def test_mentions_with_a_baseline_and_catch_up(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    sim.add_post("bob", text="old news @alice", timestamp=sim.now() - timedelta(minutes=5))
    source_id = watched(store, SourceKind.MENTIONS)

    assert await poller.poll(source_id) == 0
    for n in range(3):
        sim.advance(600)
        sim.add_post("bob", text=f"hey @alice {n}")
    sim.add_post("bob", text="about someone else")

    assert await poller.poll(source_id) == 3
    assert [text for _, text, _ in queued(store)] == [f"hey @alice {n}" for n in range(3)]
    assert [r.path for r in sim.requests if "mentions" in r.path]


def test_the_inbox_polls_at_the_connected_accounts_interval_outside_the_plan(
    store: Store,
) -> None:
    budget = DiscoveryBudget(store, ThreadsConfig(access_token=None, poll_interval=120))
    for kind in (SourceKind.REPLIES, SourceKind.MENTIONS):
        assert budget.interval(store.sources.get(watched(store, kind))) == 120.0
    assert dict(budget.replan().intervals) == {}  # no discovery share is planned for them


async def test_a_reply_waiting_for_approval_is_delivered_once(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, client: ThreadsClient
) -> None:
    sim.add_profile("bob")
    post = sim.add_post(
        "alice",
        text="Approvals on",
        reply_approvals=True,
        timestamp=sim.now() - timedelta(hours=1),
    )
    source_id = watched(store, SourceKind.REPLIES)
    await poller.poll(source_id)
    waiting = sim.add_post("bob", text="let me in", reply_to=post.id)
    assert sim.state.conversation(post.id) == []  # not shown on Threads yet

    assert await poller.poll(source_id) == 1
    destination = Destination("telegram", "1")
    delivery = store.outbox.next_due(destination, time.time())
    assert delivery is not None
    assert delivery.item.post.reply_approval_status == "pending"
    assert delivery.item.moderated and delivery.item.related is not None
    store.outbox.delivered(delivery.id)

    await client.manage_pending_reply(waiting.id, approve=True)
    assert [p.id for p in sim.state.conversation(post.id)] == [waiting.id]
    assert await poller.poll(source_id) == 0  # now in the conversation: already told
