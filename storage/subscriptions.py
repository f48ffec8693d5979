"""Subscriptions: which destination receives which source."""

from __future__ import annotations

import time

from sqlite_utils import Database

from bot.events import Destination, Source, Subscription
from storage.rows import Row, many, one
from storage.sources import source_from_row

_SELECT = """
    SELECT sub.id AS sub_id, sub.platform, sub.chat_id, sub.topic_id, sub.origin,
           sub.paused_reason, src.id AS src_id, src.kind AS src_kind, src.key AS src_key,
           src.cursor AS src_cursor, src.last_polled AS src_last_polled,
           src.failures AS src_failures, src.last_error AS src_last_error
    FROM subscriptions sub JOIN sources src ON src.id = sub.source_id
"""


class Subscriptions:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self, source: Source, destination: Destination, *, origin: str, created_by: str | None
    ) -> tuple[Subscription, bool]:
        """Subscribe (or resume a paused subscription). Returns it and whether it is new.

        When the source had nobody watching it, its cursor is reset: whatever it posted while
        unwatched is old news, and the next poll takes a fresh baseline.
        """
        with self._db.atomic():
            watched = one(
                self._db,
                "SELECT 1 FROM subscriptions WHERE source_id = ? AND paused_reason IS NULL",
                [source.id],
            )
            if watched is None:
                self._db.execute("UPDATE sources SET cursor = NULL WHERE id = ?", [source.id])
            existing = self._find(source.id, destination)
            if existing is not None:
                self._db.execute(
                    "UPDATE subscriptions SET paused_reason = NULL WHERE id = ?", [existing.id]
                )
                created = False
            else:
                self._db.execute(
                    """INSERT INTO subscriptions
                       (source_id, platform, chat_id, topic_id, origin, created_by, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    [
                        source.id,
                        destination.platform,
                        destination.chat_id,
                        destination.topic_id,
                        origin,
                        created_by,
                        time.time(),
                    ],
                )
                created = True
        subscription = self._find(source.id, destination)
        assert subscription is not None
        return subscription, created

    def remove(self, source: Source, destination: Destination) -> bool:
        """Unsubscribe; pending deliveries of it are dropped. False if there was none."""
        found = self._find(source.id, destination)
        if found is None:
            return False
        with self._db.atomic():
            self._db.execute(
                "UPDATE outbox SET state = 'dropped', error = 'unsubscribed' "
                "WHERE subscription_id = ? AND state = 'pending'",
                [found.id],
            )
            self._db.execute("DELETE FROM subscriptions WHERE id = ?", [found.id])
        return True

    def pause(self, subscription_id: int, reason: str) -> None:
        """Stop delivering (the chat is gone or forbids us); pending rows are dropped."""
        with self._db.atomic():
            self._db.execute(
                "UPDATE subscriptions SET paused_reason = ? WHERE id = ?",
                [reason, subscription_id],
            )
            self._db.execute(
                "UPDATE outbox SET state = 'dropped', error = ? "
                "WHERE subscription_id = ? AND state = 'pending'",
                [f"subscription paused: {reason}", subscription_id],
            )

    def pause_destination(self, destination: Destination, reason: str) -> None:
        """Pause every subscription of a chat (the bot was removed, the channel deleted)."""
        rows = many(
            self._db,
            "SELECT id FROM subscriptions WHERE platform = ? AND chat_id = ? "
            "AND paused_reason IS NULL",
            [destination.platform, destination.chat_id],
        )
        for row in rows:
            self.pause(row["id"], reason)

    def for_chat(self, platform: str, chat_id: str) -> list[Subscription]:
        rows = many(
            self._db,
            _SELECT + " WHERE sub.platform = ? AND sub.chat_id = ? ORDER BY src.key, sub.topic_id",
            [platform, chat_id],
        )
        return [_subscription(row) for row in rows]

    def of_source(self, source_id: int, *, active_only: bool = True) -> list[Subscription]:
        where = " WHERE src.id = ?" + (" AND sub.paused_reason IS NULL" if active_only else "")
        rows = many(self._db, _SELECT + where + " ORDER BY sub.id", [source_id])
        return [_subscription(row) for row in rows]

    def from_config(self) -> list[Subscription]:
        return [
            _subscription(row)
            for row in many(self._db, _SELECT + " WHERE sub.origin = 'config' ORDER BY sub.id")
        ]

    def on_platform(self, platform: str) -> list[Subscription]:
        rows = many(self._db, _SELECT + " WHERE sub.platform = ? ORDER BY sub.id", [platform])
        return [_subscription(row) for row in rows]

    def _find(self, source_id: int, destination: Destination) -> Subscription | None:
        row = one(
            self._db,
            _SELECT + " WHERE src.id = ? AND sub.platform = ? AND sub.chat_id = ? "
            "AND sub.topic_id = ?",
            [source_id, destination.platform, destination.chat_id, destination.topic_id],
        )
        return _subscription(row) if row else None


def _subscription(row: Row) -> Subscription:
    return Subscription(
        id=row["sub_id"],
        source=source_from_row(row, prefix="src_"),
        destination=Destination(row["platform"], row["chat_id"], row["topic_id"]),
        origin=row["origin"],
        paused_reason=row["paused_reason"],
    )
