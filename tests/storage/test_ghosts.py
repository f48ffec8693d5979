"""Ghost posts' chat messages on a real SQLite file: written with the message map, due at
their expiry, gone once removed; the stored FeedItem keeps the new post fields."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.events import Destination, FeedItem, MediaKind, Platform, Poll, Post, SourceKind
from bot.fanout import fan_out
from storage.codec import decode_item, encode_item
from storage.store import Store

SOON = datetime.now(UTC) + timedelta(hours=1)


def ghost(post_id: str, expires: datetime | None) -> Post:
    return Post(
        id=post_id, kind=MediaKind.TEXT, text="boo", username="bob", timestamp=SOON,
        ghost_expires_at=expires,
    )  # fmt: skip


def test_a_ghost_posts_messages_are_due_at_its_expiry_and_removed_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    chat = Destination(Platform.TELEGRAM, "-100", "7")
    store.subscriptions.add(source, chat, origin="config", created_by=None)
    expires = SOON + timedelta(hours=24)
    items = [FeedItem(ghost("g", expires)), FeedItem(ghost("plain", None))]
    store.feed.record(source, items, 1, baseline=False, fan_out=fan_out)
    for message_ids in (["501", "502"], ["503"]):
        delivery = store.outbox.next_due(chat, time.time() + 7200)
        assert delivery is not None
        store.outbox.record_part(delivery, 0, message_ids)
        store.outbox.delivered(delivery.id)

    assert store.ghosts.due(expires.timestamp() - 1) == []
    due = store.ghosts.due(expires.timestamp())
    assert [(m.destination, m.message_id, m.post_id) for m in due] == [
        (chat, "501", "g"),
        (chat, "502", "g"),
    ]
    for message in due:
        store.ghosts.removed(message)
    assert store.ghosts.pending() == 0


def test_the_new_post_fields_survive_storage() -> None:
    post = replace(
        ghost("g", SOON),
        text_attachment="long " * 100,
        spoilers=((0, 3),),
        poll=Poll(("A", "B"), (0.5, 0.5), 2),
        is_spoiler_media=True,
        gif_url="https://media.giphy.com/media/x/giphy.gif",
        kind=MediaKind.OTHER,
    )
    assert decode_item(encode_item(FeedItem(post))).post == post
