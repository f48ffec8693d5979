"""Posts that change after delivery, in storage: a post still inside its 15-minute edit window
gets one re-read due when the window has closed; a subscription that holds edits gets its
delivery only then; the message map says which chat messages show a post."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bot.events import Destination, FeedItem, MediaKind, Post, SourceKind
from bot.fanout import fan_out
from storage.changes import EDIT_WINDOW, REREAD_MARGIN
from storage.store import Store

AT_ONCE = Destination("telegram", "42")
HOLDING = Destination("telegram", "43")


def post(post_id: str, at: float) -> Post:
    return Post(
        id=post_id,
        kind=MediaKind.TEXT,
        text=post_id,
        username="bob",
        timestamp=datetime.fromtimestamp(at, UTC),
    )


def test_a_fresh_post_is_read_again_after_its_window_and_held_where_asked(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    store.subscriptions.add(source, AT_ONCE, origin="chat", created_by="1")
    holding, _ = store.subscriptions.add(source, HOLDING, origin="chat", created_by="1")
    store.changes.set_policy(holding.id, edits="hold", deleted="mark")
    store.db.execute("UPDATE subscriptions SET started_at = 0")  # watching for long
    now = time.time()
    old = now - EDIT_WINDOW - REREAD_MARGIN - 5  # read after its window closed: final
    items = [FeedItem(post("fresh", now - 60)), FeedItem(post("old", old))]
    store.feed.record(source, items, int(now), baseline=False, fan_out=fan_out)

    # A timestamp keeps microseconds: the due time is `due` to within one of them.
    due = now - 60 + EDIT_WINDOW + REREAD_MARGIN
    assert store.changes.due(due - 1) == []
    assert [r.post_id for r in store.changes.due(due + 1e-3)] == ["fresh"]
    # The holding chat gets the old post at once, the fresh one only once released.
    later = time.time() + 1
    assert store.outbox.next_due(HOLDING, later).item.post.id == "old"  # type: ignore[union-attr]
    assert store.changes.held("fresh")
    assert store.changes.release_held("fresh", now) == 1
    assert not store.changes.held("fresh")
    assert store.changes.policy(holding.id) == ("hold", "mark")


def test_the_chat_messages_of_a_post_with_their_subscription_policy(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    sub, _ = store.subscriptions.add(source, AT_ONCE, origin="chat", created_by="1")
    store.changes.set_policy(sub.id, edits="update", deleted="mark")
    now = time.time()
    store.feed.record(source, [FeedItem(post("p", now))], int(now), baseline=False,
                      fan_out=fan_out)  # fmt: skip
    delivery = store.outbox.next_due(AT_ONCE, time.time() + 1)
    assert delivery is not None
    store.outbox.record_part(delivery, 0, ["900"])
    store.outbox.record_part(delivery, 1, ["901", "902"])
    store.outbox.delivered(delivery.id)

    [shown] = store.changes.shown("p")
    assert shown.destination == AT_ONCE
    assert shown.message_ids == (("900",), ("901", "902"))
    assert (shown.edits, shown.deleted) == ("update", "mark")
    store.changes.marked(AT_ONCE, ["900", "901", "902"])
    assert store.changes.shown("p") == []
    assert store.feed.post_for_message("telegram", "42", "900") == "p"  # /reply still knows
