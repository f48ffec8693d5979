"""Posts that change after delivery: each subscription's policy (edits, deleted), the re-read
schedule (one re-read per post, once its 15-minute edit window has closed), deliveries held
until then, and the chat messages that show a post (the message map /reply uses).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from bot.events import Destination, FeedItem, Platform
from storage.codec import decode_item, encode_item
from storage.feed_settings import decode_settings
from storage.rows import many, one
from storage.subscriptions import ACTIVE

EDIT_WINDOW = 15 * 60.0  # seconds Threads lets an author edit a post after its timestamp
REREAD_MARGIN = 60.0  # read a little after the window closes, not at its last second


@dataclass(frozen=True, slots=True)
class Reread:
    source_id: int
    post_id: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Shown:
    """The chat messages of one delivery of a post, by part, and its subscription's policy."""

    destination: Destination
    message_ids: tuple[tuple[str, ...], ...]  # per part, in order
    edits: str  # "update" | "hold"
    deleted: str  # "remove" | "mark"
    template: str | None = None  # the subscription's message template, for a re-render


def reread_due(timestamp: float | None) -> float | None:
    """When a post with this timestamp is read again (None: no timestamp, nothing to wait)."""
    return None if timestamp is None else timestamp + EDIT_WINDOW + REREAD_MARGIN


class ChangeRecords:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- policy ----------------------------------------------------------------------------

    def set_policy(self, subscription_id: int, *, edits: str, deleted: str) -> None:
        self._db.execute(
            "UPDATE subscriptions SET edits = ?, deleted = ? WHERE id = ?",
            [edits, deleted, subscription_id],
        )

    def policy(self, subscription_id: int) -> tuple[str, str]:
        row = one(
            self._db, "SELECT edits, deleted FROM subscriptions WHERE id = ?", [subscription_id]
        )
        return (row["edits"], row["deleted"]) if row else ("update", "remove")

    # -- the schedule ----------------------------------------------------------------------

    def due(self, now: float, limit: int = 50) -> list[Reread]:
        rows = many(
            self._db,
            "SELECT source_id, post_id, attempts FROM rereads WHERE state = 'due' "
            "AND due_at <= ? ORDER BY due_at LIMIT ?",
            [now, limit],
        )
        return [Reread(row["source_id"], row["post_id"], row["attempts"]) for row in rows]

    def postpone(self, reread: Reread, at: float) -> None:
        self._db.execute(
            "UPDATE rereads SET due_at = ?, attempts = attempts + 1 "
            "WHERE source_id = ? AND post_id = ?",
            [at, reread.source_id, reread.post_id],
        )

    def forget_post(self, post_id: str) -> None:
        """The post is gone: no re-read of it is owed any more (by any source)."""
        self._db.execute(
            "UPDATE rereads SET state = 'gone', done_at = ? WHERE post_id = ? AND state = 'due'",
            [time.time(), post_id],
        )

    def finish(self, source_id: int, post_id: str, state: str = "done") -> None:
        """The post was read again (or found deleted: state 'gone'); no re-read is owed."""
        self._db.execute(
            "UPDATE rereads SET state = ?, done_at = ? WHERE source_id = ? AND post_id = ?",
            [state, time.time(), source_id, post_id],
        )

    def replace_item(self, source_id: int, item: FeedItem) -> None:
        """The post as it reads now (edited): what later renders of it show."""
        self._db.execute(
            "UPDATE posts SET json = ? WHERE source_id = ? AND id = ?",
            [encode_item(item), source_id, item.post.id],
        )

    def item_of(self, post_id: str) -> FeedItem | None:
        """The post as last recorded, whichever source recorded it."""
        row = one(self._db, "SELECT json FROM posts WHERE id = ? LIMIT 1", [post_id])
        return decode_item(row["json"]) if row else None

    # -- held deliveries -------------------------------------------------------------------

    def release_held(self, post_id: str, now: float) -> int:
        """Deliveries held for the edit window become due now (those of subscriptions still
        active; the others are dropped). Returns how many are due."""
        with self._db.atomic():
            self._db.execute(
                f"""UPDATE outbox SET state = 'dropped', error = 'unsubscribed', done_at = ?
                    WHERE post_id = ? AND state = 'held' AND subscription_id NOT IN
                    (SELECT sub.id FROM subscriptions sub WHERE {ACTIVE})""",  # noqa: S608
                [now, post_id],
            )
            released = self._db.execute(
                "UPDATE outbox SET state = 'pending', next_attempt = ? "
                "WHERE post_id = ? AND state = 'held'",
                [now, post_id],
            )
        return int(released.rowcount)

    def drop_held(self, post_id: str, why: str) -> int:
        dropped = self._db.execute(
            "UPDATE outbox SET state = 'dropped', error = ?, done_at = ? "
            "WHERE post_id = ? AND state = 'held'",
            [why, time.time(), post_id],
        )
        return int(dropped.rowcount)

    def held(self, post_id: str) -> bool:
        row = one(
            self._db,
            "SELECT 1 AS x FROM outbox WHERE post_id = ? AND state = 'held' LIMIT 1",
            [post_id],
        )
        return row is not None

    # -- the chat messages -----------------------------------------------------------------

    def shown(self, post_id: str) -> list[Shown]:
        """Every delivery of the post still in a chat, with its subscription's policy. A
        message whose outbox row was pruned has no subscription left: the defaults apply."""
        rows = many(
            self._db,
            """SELECT m.platform, m.chat_id, m.message_id, m.outbox_id, m.part,
                      COALESCE(o.topic_id, '') AS topic_id,
                      COALESCE(sub.edits, 'update') AS edits,
                      COALESCE(sub.deleted, 'remove') AS deleted,
                      sub.settings AS settings
               FROM messages m
               LEFT JOIN outbox o ON o.id = m.outbox_id
               LEFT JOIN subscriptions sub ON sub.id = o.subscription_id
               WHERE m.post_id = ? AND m.gone_at IS NULL
               ORDER BY m.platform, m.chat_id, m.outbox_id, m.part, m.message_id""",
            [post_id],
        )
        groups: dict[tuple[str, str, object], list[dict[str, object]]] = {}
        for row in rows:
            key = (row["platform"], row["chat_id"], row["outbox_id"] or row["message_id"])
            groups.setdefault(key, []).append(dict(row))
        shown = []
        for (platform, chat_id, _), members in groups.items():
            parts: dict[object, list[str]] = {}
            for member in members:
                parts.setdefault(member["part"], []).append(str(member["message_id"]))
            first = members[0]
            shown.append(
                Shown(
                    Destination(Platform(platform), chat_id, str(first["topic_id"])),
                    tuple(tuple(ids) for ids in parts.values()),
                    str(first["edits"]),
                    str(first["deleted"]),
                    decode_settings(first["settings"]).template,  # type: ignore[arg-type]
                )
            )
        return shown

    def removed(self, destination: Destination, message_ids: Sequence[str]) -> None:
        """The messages were deleted from the chat: out of the map (no /reply to them)."""
        for message_id in message_ids:
            self._db.execute(
                "DELETE FROM messages WHERE platform = ? AND chat_id = ? AND message_id = ?",
                [destination.platform, destination.chat_id, message_id],
            )

    def marked(self, destination: Destination, message_ids: Sequence[str]) -> None:
        """The messages now say the post was deleted: never changed again."""
        for message_id in message_ids:
            self._db.execute(
                "UPDATE messages SET gone_at = ? WHERE platform = ? AND chat_id = ? "
                "AND message_id = ?",
                [time.time(), destination.platform, destination.chat_id, message_id],
            )
