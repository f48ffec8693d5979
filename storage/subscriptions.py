"""Subscriptions: which destination receives which source.

A subscription is active, paused (the chat forbade us; `paused_reason` says why) or ended
(unwatched, or its feed left the configuration). Ended ones are kept, never deleted: their
outbox rows and the chat-message map that /reply and later edits rely on still point to them.
Watching again re-activates the same row, from a new `started_at`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlite_utils import Database

from bot.events import Destination, Platform, Source, Subscription
from storage.feed_settings import decode_settings
from storage.rows import Row, many, one
from storage.sources import source_from_row

# Receiving posts: neither paused nor ended. `sub` is the subscriptions table's alias. A
# subscription a chat held with /pause (paused_at) is still active: its source is polled and
# its posts recorded, for /resume N; only the fan-out leaves it out (ACTIVE_OF_SOURCE).
ACTIVE = "sub.paused_reason IS NULL AND sub.ended_at IS NULL"

_SELECT = """
    SELECT sub.id AS sub_id, sub.platform, sub.chat_id, sub.topic_id, sub.origin,
           sub.paused_reason, sub.started_at, sub.paused_at, sub.settings, src.id AS src_id,
           src.kind AS src_kind, src.key AS src_key,
           src.cursor AS src_cursor, src.last_polled AS src_last_polled,
           src.failures AS src_failures, src.last_error AS src_last_error
    FROM subscriptions sub JOIN sources src ON src.id = sub.source_id
"""
# Everything but ended subscriptions: what a chat is told it watches.
_CURRENT = _SELECT + " WHERE sub.ended_at IS NULL"
# The subscriptions a new post of a source may go to, in the order their deliveries queue
# (not those a chat paused: they queue nothing).
ACTIVE_OF_SOURCE = (
    _SELECT + f" WHERE src.id = ? AND {ACTIVE} AND sub.paused_at IS NULL ORDER BY sub.id"
)


class Subscriptions:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self, source: Source, destination: Destination, *, origin: str, created_by: str | None
    ) -> tuple[Subscription, bool]:
        """Subscribe: create the subscription, or re-activate a paused or ended one, from now
        on. An active one is left as it is. Returns it and whether it was new or ended.

        When the source had nobody watching it, its cursor is reset: whatever it posted while
        unwatched is old news, and the next poll starts a fresh window.
        """
        now = time.time()
        with self._db.atomic():
            if not self.of_source(source.id):
                self._db.execute("UPDATE sources SET cursor = NULL WHERE id = ?", [source.id])
            existing = one(
                self._db,
                "SELECT id, paused_reason, ended_at FROM subscriptions WHERE source_id = ? "
                "AND platform = ? AND chat_id = ? AND topic_id = ?",
                [source.id, destination.platform, destination.chat_id, destination.topic_id],
            )
            if existing is None:
                self._db.execute(
                    """INSERT INTO subscriptions (source_id, platform, chat_id, topic_id, origin,
                                                  created_by, created_at, started_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        source.id,
                        destination.platform,
                        destination.chat_id,
                        destination.topic_id,
                        origin,
                        created_by,
                        now,
                        now,
                    ],
                )
                created = True
            else:
                created = existing["ended_at"] is not None
                if created or existing["paused_reason"] is not None:
                    self._db.execute(
                        "UPDATE subscriptions SET paused_reason = NULL, ended_at = NULL, "
                        "paused_at = NULL, started_at = ?, origin = ?, created_by = ? "
                        "WHERE id = ?",
                        [now, origin, created_by, existing["id"]],
                    )
                if created:  # a new watch starts unfiltered, whatever the old one had
                    self._db.execute(
                        "UPDATE subscriptions SET settings = NULL WHERE id = ?", [existing["id"]]
                    )
        subscription = self._find(source.id, destination)
        assert subscription is not None
        return subscription, created

    def end(self, source: Source, destination: Destination) -> bool:
        """Unsubscribe: the subscription receives nothing more, and its deliveries still
        pending are dropped (not sent later). Its history stays. False if it was not current
        (never made, or already ended)."""
        found = self._find(source.id, destination)
        if found is None:
            return False
        now = time.time()
        with self._db.atomic():
            self._drop_pending(found.id, "unsubscribed", now)
            self._db.execute("UPDATE subscriptions SET ended_at = ? WHERE id = ?", [now, found.id])
        return True

    def pause(self, subscription_id: int, reason: str) -> None:
        """Stop delivering (the chat is gone or forbids us); pending rows are dropped."""
        with self._db.atomic():
            self._db.execute(
                "UPDATE subscriptions SET paused_reason = ? WHERE id = ?",
                [reason, subscription_id],
            )
            self._drop_pending(subscription_id, f"subscription paused: {reason}", time.time())

    def hold(self, subscription_id: int, now: float) -> None:
        """/pause: the subscription queues nothing from `now` on, and what it still owed is
        dropped (a paused chat receives nothing more); its source keeps being recorded."""
        with self._db.atomic():
            self._db.execute(
                "UPDATE subscriptions SET paused_at = ? WHERE id = ?", [now, subscription_id]
            )
            self._drop_pending(subscription_id, "paused in chat", now)

    def release(self, subscription_id: int, owed_post_ids: Sequence[str], now: float) -> int:
        """/resume: the subscription receives again; `owed_post_ids` (posts of its source, in
        order) are queued for it, except one it already had a row for. Returns how many."""
        queued = 0
        with self._db.atomic():
            row = one(
                self._db,
                "SELECT source_id, platform, chat_id, topic_id FROM subscriptions WHERE id = ?",
                [subscription_id],
            )
            if row is None:
                return 0
            self._db.execute(
                "UPDATE subscriptions SET paused_at = NULL WHERE id = ?", [subscription_id]
            )
            for post_id in owed_post_ids:
                had = one(
                    self._db,
                    "SELECT 1 AS x FROM outbox WHERE subscription_id = ? AND post_id = ? "
                    "AND state != 'dropped'",
                    [subscription_id, post_id],
                )
                if had is not None:
                    continue
                self._db.execute(
                    "INSERT INTO outbox (source_id, post_id, subscription_id, platform, "
                    "chat_id, topic_id, next_attempt, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        row["source_id"],
                        post_id,
                        subscription_id,
                        row["platform"],
                        row["chat_id"],
                        row["topic_id"],
                        now,
                        now,
                    ],
                )
                queued += 1
        return queued

    def pause_destination(self, destination: Destination, reason: str) -> None:
        """Pause every subscription of a chat (the bot was removed, the channel deleted)."""
        rows = many(
            self._db,
            f"SELECT id FROM subscriptions sub WHERE platform = ? AND chat_id = ? AND {ACTIVE}",  # noqa: S608
            [destination.platform, destination.chat_id],
        )
        for row in rows:
            self.pause(row["id"], reason)

    def for_chat(self, platform: str, chat_id: str) -> list[Subscription]:
        """The chat's subscriptions, active or paused (ended ones are history)."""
        rows = many(
            self._db,
            _CURRENT + " AND sub.platform = ? AND sub.chat_id = ? ORDER BY src.key, sub.topic_id",
            [platform, chat_id],
        )
        return [subscription_from_row(row) for row in rows]

    def of_source(self, source_id: int, *, active_only: bool = True) -> list[Subscription]:
        where = " AND src.id = ?" + (f" AND {ACTIVE}" if active_only else "")
        rows = many(self._db, _CURRENT + where + " ORDER BY sub.id", [source_id])
        return [subscription_from_row(row) for row in rows]

    def watched_since(self, source_id: int) -> float | None:
        """When the source's current watch began: the earliest start of its active
        subscriptions (None when nobody receives it)."""
        row = one(
            self._db,
            f"SELECT MIN(sub.started_at) AS since FROM subscriptions sub "  # noqa: S608
            f"WHERE sub.source_id = ? AND {ACTIVE}",
            [source_id],
        )
        return row["since"] if row else None

    def from_config(self) -> list[Subscription]:
        return [
            subscription_from_row(row)
            for row in many(self._db, _CURRENT + " AND sub.origin = 'config' ORDER BY sub.id")
        ]

    def on_platform(self, platform: str) -> list[Subscription]:
        rows = many(self._db, _CURRENT + " AND sub.platform = ? ORDER BY sub.id", [platform])
        return [subscription_from_row(row) for row in rows]

    def _find(self, source_id: int, destination: Destination) -> Subscription | None:
        row = one(
            self._db,
            _CURRENT + " AND src.id = ? AND sub.platform = ? AND sub.chat_id = ? "
            "AND sub.topic_id = ?",
            [source_id, destination.platform, destination.chat_id, destination.topic_id],
        )
        return subscription_from_row(row) if row else None

    def _drop_pending(self, subscription_id: int, why: str, now: float) -> None:
        # done_at makes dropped rows finished like any other, so pruning can retire them.
        self._db.execute(
            "UPDATE outbox SET state = 'dropped', error = ?, done_at = ? "
            "WHERE subscription_id = ? AND state = 'pending'",
            [why, now, subscription_id],
        )


def subscription_from_row(row: Row) -> Subscription:
    return Subscription(
        id=row["sub_id"],
        source=source_from_row(row, prefix="src_"),
        destination=Destination(Platform(row["platform"]), row["chat_id"], row["topic_id"]),
        origin=row["origin"],
        paused_reason=row["paused_reason"],
        started_at=row["started_at"],
        paused_at=row["paused_at"],
        settings=decode_settings(row["settings"]),
    )
