"""ChatMoves on a real SQLite file: a chat that changed id takes its subscriptions along, and
one the new chat already has absorbs the old one's deliveries without repeating a post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.events import ChatUser, Destination, Profile, SourceKind
from bot.fanout import fan_out
from storage.store import Store
from tests.feed_items import feed_item

OLD = Destination("telegram", "-4001")
NEW = Destination("telegram", "-1004001")


def test_a_chat_already_watching_absorbs_the_moved_subscription(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bridge.db")
    bob = store.sources.ensure(SourceKind.PROFILE, "bob")
    store.feed.record(bob, [], 0, baseline=True, fan_out=fan_out)
    store.subscriptions.add(bob, OLD, origin="chat", created_by=None)
    store.subscriptions.add(bob, NEW, origin="chat", created_by=None)
    # Stamped after both subscriptions started: a subscription announces nothing older.
    later = datetime.now(UTC) + timedelta(hours=1)
    item = feed_item(Profile("1", "bob"), text="owed to both", id="7", timestamp=later)
    store.feed.record(bob, [item], 1, baseline=False, fan_out=fan_out)

    moved = store.chat_moves.move(OLD, NEW.chat_id)

    assert moved == 1
    assert store.subscriptions.for_chat("telegram", OLD.chat_id) == []
    assert [s.source.key for s in store.subscriptions.for_chat("telegram", NEW.chat_id)] == ["bob"]
    assert store.outbox.counts_by_state() == {"pending": 1, "dropped": 1}
    assert store.outbox.due_destinations(["telegram"], now=2**40, limit=10) == [NEW]
    store.close()


def test_scheduled_posts_and_the_time_zone_follow_the_chat(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bridge.db")
    pat = ChatUser("1001", "Pat")
    row = store.queue.add("post", OLD, pat, "{}", due_at=2e9, now=1e9)
    store.zones.set(OLD, "Europe/Berlin")

    store.chat_moves.move(OLD, NEW.chat_id)

    assert [r.id for r in store.queue.waiting(NEW)] == [row]
    assert store.queue.waiting(OLD) == []
    assert (store.zones.get(NEW), store.zones.get(OLD)) == ("Europe/Berlin", None)
    store.close()
