"""Posts seen per source, and the fan-out of new ones into the outbox."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from sqlite_utils import Database

from bot.events import Destination, FeedItem, Source, Subscription
from storage.changes import reread_due
from storage.codec import decode_item, encode_item
from storage.rows import many, one
from storage.subscriptions import ACTIVE_OF_SOURCE, subscription_from_row


# What the fan-out is given and returns: storage does not import the core's function, the
# poller passes it in (bot.fanout.fan_out), so storage keeps importing only bot.events.
class Owed(Protocol):
    """One delivery the fan-out plans (bot.fanout.Owed has this shape)."""

    @property
    def item(self) -> FeedItem: ...
    @property
    def subscription_id(self) -> int: ...
    @property
    def destination(self) -> Destination: ...
    @property
    def filtered(self) -> str | None: ...


FanOut = Callable[[Sequence[FeedItem], Sequence[Subscription]], Iterable[Owed]]


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
        self,
        source: Source,
        items: Sequence[FeedItem],
        cursor: int | None,
        *,
        baseline: bool,
        fan_out: FanOut,
    ) -> int:
        """In one transaction: store the posts, move the cursor, and queue the deliveries
        `fan_out` makes of these posts and the source's active subscriptions, except those of
        a post recorded before (so nothing is ever queued twice), in the order given.

        The subscriptions are read inside the transaction, with no await between that read
        and the write, so an unwatch cannot slip in between and still be delivered to.
        `baseline` records the posts as what existed when the watch began, announcing none.

        `cursor` None leaves the source's cursor as it is (posts pushed by a webhook say
        nothing about what a poll has seen).

        A post still inside its 15-minute edit window gets a re-read (storage/changes.py);
        a subscription with `edits = "hold"` gets its delivery held ('held') until then. A
        delivery the subscription's filters refuse gets no outbox row but a `filtered` record
        with the reason.

        Returns the number of deliveries queued. A crash before the commit leaves nothing
        behind, so the next poll fetches the same posts again; after it, the outbox holds them.
        """
        now = time.time()
        queued = 0
        with self._db.atomic():
            fresh: set[str] = set()
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
                if inserted:
                    fresh.add(post.id)
            if not baseline and fresh:
                # Read and write in this one synchronous block (no await can sit in it): an
                # unwatch handled between them would otherwise still be delivered to.
                rows = many(self._db, ACTIVE_OF_SOURCE, [source.id])
                subscriptions = [subscription_from_row(row) for row in rows]
                for owed in fan_out(items, subscriptions):
                    if owed.item.post.id not in fresh:
                        continue  # already recorded: its deliveries were queued then
                    if owed.filtered is not None:
                        self._db.execute(
                            "INSERT INTO filtered (subscription_id, source_id, post_id, "
                            "reason, at) VALUES (?, ?, ?, ?, ?)",
                            [
                                owed.subscription_id,
                                source.id,
                                owed.item.post.id,
                                owed.filtered,
                                now,
                            ],
                        )
                        continue
                    destination = owed.destination
                    due = reread_due(_stamp(owed.item))
                    open_window = due is not None and due > now
                    if open_window:  # read again once the post can no longer be edited
                        self._db.execute(
                            "INSERT OR IGNORE INTO rereads (source_id, post_id, due_at) "
                            "VALUES (?, ?, ?)",
                            [source.id, owed.item.post.id, due],
                        )
                    held = open_window and self._holds_edits(owed.subscription_id)
                    self._db.execute(
                        "INSERT INTO outbox (source_id, post_id, subscription_id, platform, "
                        "chat_id, topic_id, state, next_attempt, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            source.id,
                            owed.item.post.id,
                            owed.subscription_id,
                            destination.platform,
                            destination.chat_id,
                            destination.topic_id,
                            "held" if held else "pending",
                            now,
                            now,
                        ],
                    )
                    queued += 1
            if cursor is not None:
                self._db.execute(
                    "UPDATE sources SET cursor = MAX(COALESCE(cursor, 0), ?) WHERE id = ?",
                    [cursor, source.id],
                )
        return queued

    def _holds_edits(self, subscription_id: int) -> bool:
        """The subscription delivers posts only once they can no longer be edited."""
        row = one(self._db, "SELECT edits FROM subscriptions WHERE id = ?", [subscription_id])
        return row is not None and row["edits"] == "hold"

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

    def activity(self, source_id: int, since: float) -> tuple[int, float | None]:
        """(posts seen since `since`, the newest post's timestamp) for the discovery plan.
        The baseline does not count as activity, but its newest post does as the last one."""
        row = one(
            self._db,
            """SELECT COUNT(CASE WHEN baseline = 0 AND seen_at > ? THEN 1 END) AS n,
                      MAX(timestamp) AS last
               FROM posts WHERE source_id = ?""",
            [since, source_id],
        )
        if row is None:
            return 0, None
        return int(row["n"] or 0), float(row["last"]) if row["last"] is not None else None

    def recorded_since(self, source_id: int, since: float) -> list[FeedItem]:
        """The source's posts recorded after `since` (not its baseline), oldest first: what a
        chat that paused at `since` missed."""
        rows = many(
            self._db,
            "SELECT json FROM posts WHERE source_id = ? AND baseline = 0 AND seen_at >= ? "
            "ORDER BY timestamp IS NULL, timestamp, rowid",
            [source_id, since],
        )
        return [decode_item(row["json"]) for row in rows]

    def latest(self, source_id: int) -> FeedItem | None:
        """The source's newest recorded post (baseline included), for /preview."""
        row = one(
            self._db,
            "SELECT json FROM posts WHERE source_id = ? "
            "ORDER BY timestamp IS NULL, timestamp DESC, rowid DESC LIMIT 1",
            [source_id],
        )
        return decode_item(row["json"]) if row else None


def _stamp(item: FeedItem) -> float | None:
    stamp = item.post.timestamp
    return stamp.timestamp() if stamp is not None else None
