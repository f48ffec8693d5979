"""The Store on a real SQLite file: migrations, privacy, fan-out and the outbox life cycle."""

from __future__ import annotations

import os
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.events import Destination, FeedItem, MediaKind, Platform, Post, Profile, SourceKind
from storage.store import Store


def post(post_id: str, minute: int = 0, text: str = "hi") -> Post:
    # Made after the subscriptions in these tests began (an hour from now): a subscription
    # receives only posts made from its start on.
    return Post(
        id=post_id,
        kind=MediaKind.TEXT,
        text=text,
        username="bob",
        timestamp=datetime.now(UTC) + timedelta(hours=1, minutes=minute),
    )


def test_database_file_is_private_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "state" / "bridge.db"
    store = Store.open(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    tables = set(store.db.table_names())
    journal = store.db.execute("PRAGMA journal_mode").fetchone()[0]
    store.close()
    assert mode == 0o600
    assert {
        "sources",
        "profiles",
        "posts",
        "subscriptions",
        "outbox",
        "messages",
        "publications",
        "audit",
    } <= tables
    assert journal == "wal"
    Store.open(path).close()  # reopening applies nothing twice


def test_destinations_read_back_carry_the_platform_enum_stored_as_its_string(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "Bob")
    store.subscriptions.add(
        source, Destination(Platform.DISCORD, "7"), origin="chat", created_by="u"
    )
    store.feed.record(source, [FeedItem(post("a", 1))], 100, baseline=False)
    stored = store.db.execute("SELECT platform FROM subscriptions").fetchone()[0]
    (sub,) = store.subscriptions.on_platform("discord")
    (due,) = store.outbox.due_destinations(["discord"], time.time() + 7200, 10)
    store.close()
    assert stored == "discord"
    assert sub.destination.platform is Platform.DISCORD
    assert due.platform is Platform.DISCORD


def test_new_posts_fan_out_once_per_active_subscription(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "Bob")
    chats = [Destination("telegram", str(n)) for n in (1, 2, 3)]
    subs = [
        store.subscriptions.add(source, chat, origin="chat", created_by="u")[0] for chat in chats
    ]
    store.subscriptions.pause(subs[2].id, "bot removed")

    store.feed.record(source, [FeedItem(post("old"))], 100, baseline=True)
    queued = store.feed.record(
        source, [FeedItem(post("a", 1)), FeedItem(post("b", 2))], 200, baseline=False
    )
    again = store.feed.record(source, [FeedItem(post("b", 2))], 200, baseline=False)

    assert (queued, again) == (4, 0)  # 2 posts x 2 active chats; a known post queues nothing
    assert store.sources.get(source.id).cursor == 200  # type: ignore[union-attr]
    first = store.outbox.next_due(chats[0], time.time())
    assert first is not None and first.item.post.id == "a"  # oldest first
    assert store.outbox.next_due(chats[2], time.time()) is None


def test_parts_are_recorded_so_a_retry_skips_them(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.ME, "me")
    chat = Destination("telegram", "-100")
    store.subscriptions.add(source, chat, origin="config", created_by=None)
    store.feed.record(source, [FeedItem(post("p1"), Profile("1", "bob"))], 1, baseline=False)
    delivery = store.outbox.next_due(chat, time.time())
    assert delivery is not None and delivery.item.author == Profile("1", "bob")

    store.outbox.record_part(delivery, 0, ["501", "502"])
    assert store.outbox.sent_parts(delivery.id) == {0}
    assert store.feed.post_for_message("telegram", "-100", "502") == "p1"

    store.outbox.delivered(delivery.id)
    assert store.outbox.next_due(chat, time.time()) is None
    assert store.outbox.counts_by_state() == {"delivered": 1}


def test_a_row_waiting_for_retry_holds_back_its_chat(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.ME, "me")
    chat = Destination("telegram", "7")
    store.subscriptions.add(source, chat, origin="chat", created_by="7")
    store.feed.record(source, [FeedItem(post("x", 1)), FeedItem(post("y", 2))], 1, baseline=False)
    head = store.outbox.next_due(chat, time.time())
    assert head is not None
    store.outbox.retry_later(head.id, time.time() + 60, "network", count_attempt=True)

    assert store.outbox.next_due(chat, time.time()) is None  # "y" waits behind "x"
    assert store.outbox.due_destinations(["telegram"], time.time(), 10) == []
    later = store.outbox.next_due(chat, time.time() + 61)
    assert later is not None and (later.item.post.id, later.attempts) == ("x", 1)


def test_rewatching_an_unwatched_source_takes_a_new_baseline(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    chat = Destination("telegram", "1")
    store.subscriptions.add(source, chat, origin="chat", created_by="1")
    store.feed.record(source, [], 500, baseline=True)
    store.subscriptions.end(source, chat)

    store.subscriptions.add(source, chat, origin="chat", created_by="1")

    assert store.sources.get(source.id).cursor is None  # type: ignore[union-attr]
