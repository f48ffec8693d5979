"""Pending confirmations: commands (such as /delete) that wait for a click on their button."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from bot.events import ChatUser, Destination, Platform
from storage.rows import one

KEPT = 24 * 3600.0  # spent and expired rows stay this long (a late click still gets words)


@dataclass(frozen=True, slots=True)
class PendingConfirmation:
    id: str
    chat: Destination
    user_id: str  # who asked: only they may confirm
    command: str
    args: str
    created_at: float
    used_at: float | None = None


class Confirmations:
    def __init__(self, db: Database) -> None:
        self._db = db

    def ask(
        self,
        action_id: str,
        chat: Destination,
        user: ChatUser,
        command: str,
        args: str,
        *,
        now: float,
    ) -> None:
        """Record a command waiting for its button; rows older than a day go on the way."""
        with self._db.atomic():
            self._db.execute(
                "INSERT INTO confirmations (id, platform, chat_id, topic_id, user_id, command, "
                "args, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    action_id,
                    chat.platform,
                    chat.chat_id,
                    chat.topic_id,
                    user.id,
                    command,
                    args,
                    now,
                ],
            )
            self._db.execute("DELETE FROM confirmations WHERE created_at <= ?", [now - KEPT])

    def get(self, action_id: str) -> PendingConfirmation | None:
        row = one(self._db, "SELECT * FROM confirmations WHERE id = ?", [action_id])
        if row is None:
            return None
        return PendingConfirmation(
            id=row["id"],
            chat=Destination(Platform(row["platform"]), row["chat_id"], row["topic_id"]),
            user_id=row["user_id"],
            command=row["command"],
            args=row["args"],
            created_at=float(row["created_at"]),
            used_at=row["used_at"],
        )

    def claim(self, action_id: str, *, now: float, asked_after: float) -> bool:
        """Mark the confirmation used, if nobody did and it was asked after `asked_after`;
        False when it was spent, expired or unknown. One statement: two clicks at once cannot
        both win."""
        cursor = self._db.execute(
            "UPDATE confirmations SET used_at = ? "
            "WHERE id = ? AND used_at IS NULL AND created_at > ?",
            [now, action_id, asked_after],
        )
        return cursor.rowcount == 1
