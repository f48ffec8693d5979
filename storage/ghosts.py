"""Ghost posts' chat messages and when they expire: what the ghost sweep removes from chat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from bot.events import Destination, Platform
from storage.rows import many


@dataclass(frozen=True, slots=True)
class GhostMessage:
    """A delivered chat message of a ghost post, to be removed at `expires_at` (Unix time)."""

    destination: Destination
    message_id: str
    post_id: str
    expires_at: float
    attempts: int = 0


class GhostExpiry:
    def __init__(self, db: Database) -> None:
        self._db = db

    def schedule(
        self,
        destination: Destination,
        message_ids: Sequence[str],
        post_id: str,
        expires_at: float,
    ) -> None:
        """Remember messages to remove at `expires_at` (run inside the caller's transaction,
        with the message map's rows)."""
        for message_id in message_ids:
            self._db.execute(
                "INSERT OR REPLACE INTO ghost_expiry (platform, chat_id, topic_id, message_id, "
                "post_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    destination.platform,
                    destination.chat_id,
                    destination.topic_id,
                    message_id,
                    post_id,
                    expires_at,
                ],
            )

    def due(self, now: float, limit: int = 100) -> list[GhostMessage]:
        """Messages whose post has expired, the longest expired first."""
        rows = many(
            self._db,
            "SELECT * FROM ghost_expiry WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
            [now, limit],
        )
        return [
            GhostMessage(
                Destination(Platform(row["platform"]), row["chat_id"], row["topic_id"]),
                row["message_id"],
                row["post_id"],
                row["expires_at"],
                row["attempts"],
            )
            for row in rows
        ]

    def removed(self, message: GhostMessage) -> None:
        self._db.execute(
            "DELETE FROM ghost_expiry WHERE platform = ? AND chat_id = ? AND message_id = ?",
            [message.destination.platform, message.destination.chat_id, message.message_id],
        )

    def failed(self, message: GhostMessage) -> None:
        self._db.execute(
            "UPDATE ghost_expiry SET attempts = attempts + 1 "
            "WHERE platform = ? AND chat_id = ? AND message_id = ?",
            [message.destination.platform, message.destination.chat_id, message.message_id],
        )

    def pending(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM ghost_expiry").fetchone()[0])
