"""The outbox: deliveries owed to destinations, and what has been sent for each.

Rows go pending -> delivered, or -> dead (gave up) / dropped (unsubscribed or paused).
A row is delivered part by part (a carousel can take several chat messages); each part's
message ids are committed as it goes out, so a crash repeats at most the part in flight.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from bot.events import Delivery, Destination, Platform
from storage.codec import UnreadableItem, decode_item
from storage.feed_settings import decode_settings
from storage.ghosts import GhostExpiry
from storage.rows import Row, many, one


class UnreadableDelivery(Exception):
    """The destination's next row names a post whose stored JSON cannot be read. The row is
    still owed: the worker counts it as a failed attempt, like a failed send."""

    def __init__(self, outbox_id: int, post_id: str, attempts: int, reason: str) -> None:
        super().__init__(reason)
        self.outbox_id = outbox_id
        self.post_id = post_id
        self.attempts = attempts
        self.reason = reason


class Outbox:
    def __init__(self, db: Database) -> None:
        self._db = db

    def due_destinations(
        self, platforms: Iterable[str], now: float, limit: int
    ) -> list[Destination]:
        """Destinations whose oldest pending delivery is due, most overdue first."""
        names = list(platforms)
        if not names:
            return []
        marks = ",".join("?" * len(names))
        rows = many(
            self._db,
            f"""SELECT o.platform, o.chat_id, o.topic_id FROM outbox o
                JOIN (SELECT MIN(id) AS head FROM outbox
                      WHERE state = 'pending' AND platform IN ({marks})
                      GROUP BY platform, chat_id, topic_id) heads ON o.id = heads.head
                WHERE o.next_attempt <= ? ORDER BY o.id LIMIT ?""",  # noqa: S608
            [*names, now, limit],
        )
        return [
            Destination(Platform(row["platform"]), row["chat_id"], row["topic_id"]) for row in rows
        ]

    def next_due(self, destination: Destination, now: float) -> Delivery | None:
        """The destination's oldest pending delivery if it is due. Deliveries to one chat go
        strictly in order, so a row waiting for a retry holds back the ones behind it.

        Raises UnreadableDelivery when that row's stored post cannot be decoded."""
        row = one(
            self._db,
            """SELECT o.id, o.post_id, o.subscription_id, o.attempts, o.next_attempt, p.json,
                      sub.settings
               FROM outbox o JOIN posts p ON p.source_id = o.source_id AND p.id = o.post_id
               LEFT JOIN subscriptions sub ON sub.id = o.subscription_id
               WHERE o.state = 'pending' AND o.platform = ? AND o.chat_id = ? AND o.topic_id = ?
               ORDER BY o.id LIMIT 1""",
            [destination.platform, destination.chat_id, destination.topic_id],
        )
        if row is None or row["next_attempt"] > now:
            return None
        return _delivery(row, destination)

    def next_wakeup(self, platforms: Iterable[str], *, after: float) -> float | None:
        """The earliest retry time still to come (after `after`), if any."""
        names = list(platforms)
        marks = ",".join("?" * len(names))
        row = one(
            self._db,
            f"SELECT MIN(next_attempt) AS at FROM outbox "  # noqa: S608
            f"WHERE state = 'pending' AND next_attempt > ? AND platform IN ({marks})",
            [after, *names],
        )
        return row["at"] if row else None

    def pending(self, outbox_id: int) -> bool:
        """Whether the row is still owed (not dropped meanwhile by an unwatch or a pause)."""
        row = one(self._db, "SELECT state FROM outbox WHERE id = ?", [outbox_id])
        return row is not None and row["state"] == "pending"

    def sent_parts(self, outbox_id: int) -> set[int]:
        rows = many(
            self._db, "SELECT DISTINCT part FROM messages WHERE outbox_id = ?", [outbox_id]
        )
        return {row["part"] for row in rows}

    def record_part(self, delivery: Delivery, part: int, message_ids: Sequence[str]) -> None:
        now = time.time()
        with self._db.atomic():
            for message_id in message_ids:
                self._db.execute(
                    "INSERT OR REPLACE INTO messages (platform, chat_id, message_id, post_id, "
                    "outbox_id, part, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        delivery.destination.platform,
                        delivery.destination.chat_id,
                        message_id,
                        delivery.item.post.id,
                        delivery.id,
                        part,
                        now,
                    ],
                )
            expires = delivery.item.post.ghost_expires_at
            if expires is not None:  # removed from the chat when it expires on Threads
                GhostExpiry(self._db).schedule(
                    delivery.destination, message_ids, delivery.item.post.id, expires.timestamp()
                )

    def delivered(self, outbox_id: int) -> None:
        self._db.execute(
            "UPDATE outbox SET state = 'delivered', done_at = ?, error = NULL WHERE id = ?",
            [time.time(), outbox_id],
        )

    def retry_later(self, outbox_id: int, at: float, error: str, *, count_attempt: bool) -> None:
        self._db.execute(
            "UPDATE outbox SET next_attempt = ?, error = ?, attempts = attempts + ? WHERE id = ?",
            [at, error, int(count_attempt), outbox_id],
        )

    def dead(self, outbox_id: int, error: str) -> None:
        self._db.execute(
            "UPDATE outbox SET state = 'dead', error = ?, done_at = ?, attempts = attempts + 1 "
            "WHERE id = ?",
            [error, time.time(), outbox_id],
        )

    def drop_post(self, post_id: str, why: str) -> int:
        """Stop owing a post to anyone (it was deleted on Threads): its pending rows are
        dropped with `why`. Returns how many."""
        dropped = self._db.execute(
            "UPDATE outbox SET state = 'dropped', error = ?, done_at = ? "
            "WHERE post_id = ? AND state = 'pending'",
            [why, time.time(), post_id],
        )
        return int(dropped.rowcount)

    def depth(self, platform: str | None = None) -> int:
        sql = "SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'"
        row = (
            one(self._db, sql + " AND platform = ?", [platform])
            if platform
            else one(self._db, sql)
        )
        return int(row["n"]) if row else 0

    def prune(self, *, before: float) -> int:
        """Forget finished rows (delivered, dead, dropped) older than `before`. The messages
        map stays (people reply to old bridged posts too) but lets go of the pruned rows:
        no message row points at an outbox id that is gone."""
        finished = "SELECT id FROM outbox WHERE state != 'pending' AND done_at < ?"
        with self._db.atomic():
            self._db.execute(
                f"UPDATE messages SET outbox_id = NULL WHERE outbox_id IN ({finished})",  # noqa: S608
                [before],
            )
            removed = self._db.execute(f"DELETE FROM outbox WHERE id IN ({finished})", [before])  # noqa: S608
        return int(removed.rowcount)

    def counts_by_state(self) -> dict[str, int]:
        rows = many(self._db, "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
        return {row["state"]: row["n"] for row in rows}


def _delivery(row: Row, destination: Destination) -> Delivery:
    try:
        item = decode_item(row["json"])
    except Exception as exc:  # tolerant decoding should never fail; if it does, fail one row
        reason = str(exc) if isinstance(exc, UnreadableItem) else repr(exc)
        raise UnreadableDelivery(row["id"], row["post_id"], row["attempts"], reason) from exc
    return Delivery(
        id=row["id"],
        item=item,
        destination=destination,
        subscription_id=row["subscription_id"],
        attempts=row["attempts"],
        template=decode_settings(row["settings"]).template,
    )
