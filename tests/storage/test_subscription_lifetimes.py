"""Ended subscriptions keep their history: outbox rows and the chat-message map survive an
unwatch, a re-watch re-activates the same subscription, and pruning breaks no reference."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from bot.events import Destination, FeedItem, MediaKind, Post, SourceKind
from bot.fanout import fan_out
from storage.schema import migrations
from storage.store import Store

CHAT = Destination("telegram", "42")


def post(post_id: str, at: float) -> Post:
    return Post(
        id=post_id,
        kind=MediaKind.TEXT,
        text=post_id,
        username="bob",
        timestamp=datetime.fromtimestamp(at, UTC),
    )


def test_ending_a_delivered_subscription_keeps_its_history(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    subscription, _ = store.subscriptions.add(source, CHAT, origin="chat", created_by="1")
    now = time.time()
    store.feed.record(source, [FeedItem(post("sent", now)), FeedItem(post("queued", now + 1))],
                      int(now), baseline=False, fan_out=fan_out)  # fmt: skip
    delivery = store.outbox.next_due(CHAT, time.time())
    assert delivery is not None
    store.outbox.record_part(delivery, 0, ["900"])
    store.outbox.delivered(delivery.id)

    assert store.subscriptions.end(source, CHAT) is True

    assert store.subscriptions.for_chat("telegram", "42") == []
    assert store.sources.active() == []
    assert store.outbox.next_due(CHAT, time.time()) is None  # "queued" is dropped, not sent
    assert store.outbox.counts_by_state() == {"delivered": 1, "dropped": 1}
    assert store.feed.post_for_message("telegram", "42", "900") == "sent"
    assert store.subscriptions.end(source, CHAT) is False  # already ended
    # Every finished row is prunable, the dropped one included, and pruning breaks nothing.
    assert store.outbox.prune(before=time.time() + 1) == 2
    assert store.feed.post_for_message("telegram", "42", "900") == "sent"

    again, created = store.subscriptions.add(source, CHAT, origin="chat", created_by="1")
    assert (again.id, created) == (subscription.id, True)  # the same row, active again
    store.feed.record(source, [FeedItem(post("older", now - 60)), FeedItem(post("new", now + 60))],
                      int(now), baseline=False, fan_out=fan_out)  # fmt: skip
    fresh = store.outbox.next_due(CHAT, time.time())
    assert fresh is not None and fresh.item.post.id == "new"  # nothing from before the re-watch
    assert store.outbox.depth() == 1


def test_a_paused_subscription_can_be_ended(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    store.subscriptions.add(source, CHAT, origin="chat", created_by="1")
    store.feed.record(
        source, [FeedItem(post("p", time.time()))], 1, baseline=False, fan_out=fan_out
    )
    store.subscriptions.pause_destination(CHAT, "the bot was removed")

    assert store.subscriptions.end(source, CHAT) is True
    assert store.subscriptions.for_chat("telegram", "42") == []


def test_an_active_subscription_is_left_as_it_is(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    first, created = store.subscriptions.add(source, CHAT, origin="config", created_by=None)
    store.feed.record(source, [], 500, baseline=True, fan_out=fan_out)
    same, again = store.subscriptions.add(source, CHAT, origin="config", created_by=None)

    assert (created, again, same.id) == (True, False, first.id)
    assert store.sources.get(source.id).cursor == 500  # type: ignore[union-attr]


def test_a_database_from_before_the_migration_can_end_its_subscriptions(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    old.execute("PRAGMA foreign_keys=ON")
    migrations.apply(old, stop_before="m003_subscription_lifetimes")
    old.execute("INSERT INTO sources (id, kind, key, created_at) VALUES (1, 'profile', 'bob', 1)")
    old.execute(
        "INSERT INTO subscriptions (id, source_id, platform, chat_id, origin, created_at) "
        "VALUES (1, 1, 'telegram', '42', 'chat', 1)"
    )
    for state, done_at in (("delivered", 5.0), ("dropped", None)):
        old.execute(
            "INSERT INTO outbox (source_id, post_id, subscription_id, platform, chat_id, state, "
            "next_attempt, created_at, done_at) VALUES (1, 'p', 1, 'telegram', '42', ?, 1, 1, ?)",
            [state, done_at],
        )
    old.close()

    store = Store.open(path)
    source = store.sources.find(SourceKind.PROFILE, "bob")
    assert source is not None and store.sources.active() == [source]

    assert store.subscriptions.end(source, CHAT) is True
    assert store.sources.active() == []
    assert store.outbox.prune(before=10) == 2  # the old dropped row is finished too
