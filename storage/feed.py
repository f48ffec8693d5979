"""Posts seen per source, and the fan-out of new ones into the outbox."""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlite_utils import Database

from bot.events import FeedItem, Source
from storage.codec import decode_item, encode_item
from storage.rows import many, one
from storage.subscriptions import ACTIVE

# The subscriptions a new post may go to (ACTIVE is a constant condition).
_ACTIVE_SUBSCRIPTIONS = " ".join(
    (
        "SELECT sub.id, sub.platform, sub.chat_id, sub.topic_id, sub.started_at",
        "FROM subscriptions sub WHERE sub.source_id = ? AND",
        ACTIVE,
        "ORDER BY sub.id",
    )
)


class Feed:
    def __init__(self, db: Database) -> None:
        self._db = db

    def seen_ids(self, source_id: int, post_ids: Sequence[str]) -> set[str]:
        """Which of these posts this source has already recorded."""
        if not post_ids:
            return set()
        marks = ",".join("?" * len(post_ids))
        rows = many(
            self._db,
            f"SELECT id FROM posts WHERE source_id = ? AND id IN ({marks})",  # noqa: S608
            [source_id, *post_ids],
        )
        return {row["id"] for row in rows}

    def record(
        self, source: Source, items: Sequence[FeedItem], cursor: int, *, baseline: bool
    ) -> int:
        """In one transaction: store the posts, move the cursor, and queue the deliveries of
        the posts not recorded before, oldest first (as given).

        A new post goes to each active subscription that had started by the post's timestamp
        (to the second, as Threads stamps): a subscription announces nothing made before it.
        `baseline` records the posts as what existed when the watch began, announcing none.

        Returns the number of deliveries queued. A crash before the commit leaves nothing
        behind, so the next poll fetches the same posts again; after it, the outbox holds them.
        """
        now = time.time()
        queued = 0
        with self._db.atomic():
            subscriptions = many(self._db, _ACTIVE_SUBSCRIPTIONS, [source.id])
            for item in items:
                post = item.post
                stamp = int(post.timestamp.timestamp()) if post.timestamp else None
                inserted = self._db.execute(
                    "INSERT OR IGNORE INTO posts (source_id, id, shortcode, json, timestamp, "
                    "baseline, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        source.id,
                        post.id,
                        post.shortcode,
                        encode_item(item),
                        stamp,
                        int(baseline),
                        now,
                    ],
                ).rowcount
                if baseline or not inserted:
                    continue
                for sub in subscriptions:
                    if stamp is not None and stamp < int(sub["started_at"]):
                        continue  # made before this chat started watching
                    self._db.execute(
                        "INSERT INTO outbox (source_id, post_id, subscription_id, platform, "
                        "chat_id, topic_id, next_attempt, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            source.id,
                            post.id,
                            sub["id"],
                            sub["platform"],
                            sub["chat_id"],
                            sub["topic_id"],
                            now,
                            now,
                        ],
                    )
                    queued += 1
            self._db.execute(
                "UPDATE sources SET cursor = MAX(COALESCE(cursor, 0), ?) WHERE id = ?",
                [cursor, source.id],
            )
        return queued

    def item(self, source_id: int, post_id: str) -> FeedItem | None:
        row = one(
            self._db, "SELECT json FROM posts WHERE source_id = ? AND id = ?", [source_id, post_id]
        )
        return decode_item(row["json"]) if row else None

    def post_for_message(self, platform: str, chat_id: str, message_id: str) -> str | None:
        """The Threads post a bridged chat message shows, for replies made to it."""
        row = one(
            self._db,
            "SELECT post_id FROM messages WHERE platform = ? AND chat_id = ? AND message_id = ?",
            [platform, chat_id, message_id],
        )
        return row["post_id"] if row else None

    def post_by_shortcode(self, shortcode: str) -> FeedItem | None:
        row = one(self._db, "SELECT json FROM posts WHERE shortcode = ? LIMIT 1", [shortcode])
        return decode_item(row["json"]) if row else None
