"""Webhook events into the feed against the simulator: a pushed post queued once (and never
again by a poll), a deleted post's owed deliveries dropped, a reply the account made kept out
of "me", an unreadable post fetched by a poll instead, fields nobody watches ignored."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.events import Destination, SourceKind
from bot.threads.client import ThreadsClient
from bot.threads.webhooks import WebhookEvent
from jobs.polling import SourcePoller
from jobs.webhook_feed import PUSHED_INTO, WebhookFeed
from simulator import ThreadsSimulator
from storage.store import Store

CHAT = Destination("telegram", "1")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "bridge.db")


@pytest.fixture
def poller(store: Store, client: ThreadsClient) -> SourcePoller:
    return SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)


@pytest.fixture
def feed(store: Store, client: ThreadsClient, poller: SourcePoller) -> WebhookFeed:
    return WebhookFeed(store, client, poller, slow_interval=3600)


async def watch_me(store: Store, poller: SourcePoller) -> int:
    source = store.sources.ensure(SourceKind.ME, "me")
    store.subscriptions.add(source, CHAT, origin="chat", created_by=None)
    await poller.poll(source.id)  # the baseline
    return source.id


def cursor_of(store: Store, source_id: int) -> int | None:
    source = store.sources.get(source_id)
    assert source is not None
    return source.cursor


def queued_texts(store: Store) -> list[str]:
    texts = []
    while (delivery := store.outbox.next_due(CHAT, time.time())) is not None:
        texts.append(delivery.item.post.text)
        store.outbox.delivered(delivery.id)
    return texts


async def test_a_pushed_post_is_queued_once_and_the_next_poll_finds_it_seen(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, feed: WebhookFeed
) -> None:
    source_id = await watch_me(store, poller)
    cursor = cursor_of(store, source_id)
    post = sim.add_post("alice", text="pushed")

    await feed.handle(WebhookEvent("publish", post.id))
    await feed.handle(WebhookEvent("publish", post.id))  # Meta may send an event twice
    # The push leaves the cursor alone: the next poll still looks at all since the last one.
    cursor_after_push = cursor_of(store, source_id)
    polled = await poller.poll(source_id)

    assert queued_texts(store) == ["pushed"]
    assert polled == 0
    assert cursor_after_push == cursor


async def test_a_deleted_post_is_not_delivered(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, feed: WebhookFeed
) -> None:
    await watch_me(store, poller)
    kept = sim.add_post("alice", text="kept")
    gone = sim.add_post("alice", text="deleted soon after")
    await feed.handle(WebhookEvent("publish", kept.id))
    await feed.handle(WebhookEvent("publish", gone.id))

    await feed.handle(WebhookEvent("delete", gone.id))

    assert queued_texts(store) == ["kept"]
    assert store.outbox.counts_by_state() == {"delivered": 1, "dropped": 1}


async def test_a_reply_the_account_published_is_not_part_of_me(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, feed: WebhookFeed
) -> None:
    await watch_me(store, poller)
    sim.add_profile("bob", followers=5000)
    theirs = sim.add_post("bob", text="a question")
    reply = sim.add_post("alice", text="my answer", reply_to=theirs.id)

    await feed.handle(WebhookEvent("publish", reply.id))

    assert queued_texts(store) == []


async def test_a_replies_event_brings_other_peoples_replies_not_the_accounts_own(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient, poller: SourcePoller
) -> None:
    me = await client.me()
    feed = WebhookFeed(store, client, poller, slow_interval=3600, connected_account=lambda: me)
    source = store.sources.ensure(SourceKind.REPLIES, "replies")
    store.subscriptions.add(source, CHAT, origin="chat", created_by=None)
    sim.add_profile("bob", followers=5000)
    root = sim.add_post("alice", text="what do you think?")
    theirs = sim.add_post("bob", text="I think yes", reply_to=root.id)
    mine = sim.add_post("alice", text="thanks bob", reply_to=theirs.id)

    await feed.handle(WebhookEvent("replies", theirs.id, target_id=root.id))
    await feed.handle(WebhookEvent("replies", mine.id, target_id=root.id))

    assert queued_texts(store) == ["I think yes"]


async def test_an_unreadable_pushed_post_is_polled_instead(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, feed: WebhookFeed
) -> None:
    await watch_me(store, poller)
    post = sim.add_post("alice", text="read by the poll")
    sim.fail_next("GET", f"/{post.id}", kind="server_error", times=3)

    await feed.handle(WebhookEvent("publish", post.id))

    assert queued_texts(store) == ["read by the poll"]


async def test_an_event_nobody_watches_costs_no_request(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, feed: WebhookFeed
) -> None:
    await watch_me(store, poller)
    post = sim.add_post("alice", text="only replies would show this")
    sim.clear_requests()

    await feed.handle(WebhookEvent("replies", post.id))
    await feed.handle(WebhookEvent("story_insights", post.id))  # a field the bridge ignores

    assert sim.requests == []
    assert queued_texts(store) == []


def test_each_pushed_field_goes_to_the_connected_accounts_own_source() -> None:
    assert PUSHED_INTO == {
        "publish": SourceKind.ME,
        "replies": SourceKind.REPLIES,
        "mentions": SourceKind.MENTIONS,
    }


async def test_polls_slow_down_while_events_flow_and_come_back_an_hour_after(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient, poller: SourcePoller
) -> None:
    now = [1_800_000_000.0]
    changes: list[frozenset[SourceKind]] = []
    feed = WebhookFeed(
        store,
        client,
        poller,
        slow_interval=3600,
        clock=lambda: now[0],
        on_flow_change=lambda: changes.append(feed.flowing()),
    )
    me = store.sources.ensure(SourceKind.ME, "me")
    mentions = store.sources.ensure(SourceKind.MENTIONS, "mentions")
    profile = store.sources.ensure(SourceKind.PROFILE, "bob")
    post = sim.add_post("alice", text="pushed")

    before = feed.interval(me, 300)
    await feed.handle(WebhookEvent("delete", "1"))  # deletions alone say nothing of posts
    after_delete = feed.interval(me, 300)
    await feed.handle(WebhookEvent("publish", post.id))
    flowing = (feed.interval(me, 300), feed.interval(mentions, 300), feed.interval(profile, 300))
    now[0] += 1800
    await feed.handle(WebhookEvent("publish", post.id))
    now[0] += 3599
    await feed.check_flow()
    still = feed.interval(me, 300)
    now[0] += 2
    await feed.check_flow()
    await feed.check_flow()

    assert (before, after_delete) == (300, 300)
    # Only "me" had events; mentions and a public profile keep their plan.
    assert flowing == (3600, 300, 300)
    assert still == 3600  # an hour after the first event, but not after the last
    assert feed.interval(me, 300) == 300
    # Told once when its events began, once when they stopped.
    assert changes == [frozenset({SourceKind.ME}), frozenset()]
