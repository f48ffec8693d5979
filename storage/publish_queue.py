"""The durable publish queue: every publish (a command, a cross-post, a schedule) is a row here
before it goes to Threads, so a crash loses none and the worker publishes them in order.

States: queued -> publishing -> published | failed; queued -> cancelled; review -> queued
(approved) | rejected, for posts that wait for a publisher's approval. A row found `publishing`
after a restart is settled by its publication's containers (storage/publications).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from sqlite_utils import Database

from bot.events import ChatUser, Destination, Platform
from storage.rows import many, one

QUEUED, PUBLISHING, PUBLISHED, FAILED, CANCELLED = (
    "queued",
    "publishing",
    "published",
    "failed",
    "cancelled",
)
REVIEW, REJECTED = "review", "rejected"


@dataclass(frozen=True, slots=True)
class QueuedPost:
    id: int
    kind: str
    chat: Destination
    user: ChatUser
    request: str  # JSON of bot.publishing.request.PublishRequest
    origin: str | None
    state: str
    due_at: float
    publication_id: int | None
    permalink: str | None
    error: str | None
    created_at: float


class AlreadyQueued(Exception):
    """That chat message was queued before (`id` is its row)."""

    def __init__(self, row_id: int) -> None:
        super().__init__(row_id)
        self.id = row_id


class PublishQueue:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        kind: str,
        chat: Destination,
        user: ChatUser,
        request: str,
        *,
        due_at: float | None = None,
        origin: str | None = None,
        now: float | None = None,
        state: str = QUEUED,
    ) -> int:
        now = time.time() if now is None else now
        try:
            cursor = self._db.execute(
                "INSERT INTO publish_queue (kind, platform, chat_id, topic_id, user_id, "
                "user_name, request, origin, state, due_at, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    kind,
                    chat.platform,
                    chat.chat_id,
                    chat.topic_id,
                    user.id,
                    user.name,
                    request,
                    origin,
                    state,
                    now if due_at is None else due_at,
                    now,
                    now,
                ],
            )
        except sqlite3.IntegrityError:
            existing = one(self._db, "SELECT id FROM publish_queue WHERE origin = ?", [origin])
            raise AlreadyQueued(int(existing["id"]) if existing else 0) from None
        return int(cursor.lastrowid or 0)

    def get(self, row_id: int) -> QueuedPost | None:
        row = one(self._db, "SELECT * FROM publish_queue WHERE id = ?", [row_id])
        return _post(row) if row else None

    def by_origin(self, origin: str) -> QueuedPost | None:
        row = one(self._db, "SELECT * FROM publish_queue WHERE origin = ?", [origin])
        return _post(row) if row else None

    def next_due(self) -> QueuedPost | None:
        """The queued row to publish next: the earliest due, then the first queued."""
        row = one(
            self._db,
            "SELECT * FROM publish_queue WHERE state = ? ORDER BY due_at, id LIMIT 1",
            [QUEUED],
        )
        return _post(row) if row else None

    def waiting(self, chat: Destination | None = None) -> list[QueuedPost]:
        """Queued rows (of one chat, or all), in the order they will go."""
        sql = "SELECT * FROM publish_queue WHERE state = ?"
        params: list[object] = [QUEUED]
        if chat is not None:
            sql += " AND platform = ? AND chat_id = ?"
            params += [chat.platform, chat.chat_id]
        return [_post(r) for r in many(self._db, sql + " ORDER BY due_at, id", params)]

    def in_flight(self) -> list[QueuedPost]:
        rows = many(self._db, "SELECT * FROM publish_queue WHERE state = ?", [PUBLISHING])
        return [_post(r) for r in rows]

    def start(self, row_id: int) -> bool:
        """queued -> publishing; False if the row is no longer queued (cancelled meanwhile)."""
        cursor = self._db.execute(
            "UPDATE publish_queue SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
            [PUBLISHING, time.time(), row_id, QUEUED],
        )
        return cursor.rowcount == 1

    def link_publication(self, row_id: int, publication_id: int) -> None:
        self._db.execute(
            "UPDATE publish_queue SET publication_id = ? WHERE id = ?", [publication_id, row_id]
        )

    def finish(
        self,
        row_id: int,
        *,
        permalink: str | None = None,
        error: str | None = None,
        now: float | None = None,
    ) -> None:
        """publishing -> published (its time counts against the rolling quota) or failed."""
        self._db.execute(
            "UPDATE publish_queue SET state = ?, permalink = ?, error = ?, updated_at = ? "
            "WHERE id = ?",
            [
                FAILED if error else PUBLISHED,
                permalink,
                error,
                time.time() if now is None else now,
                row_id,
            ],
        )

    def requeue(self, row_id: int, due_at: float) -> None:
        """Back to queued (nothing reached Threads), due at `due_at`."""
        self._db.execute(
            "UPDATE publish_queue SET state = ?, due_at = ?, updated_at = ? WHERE id = ?",
            [QUEUED, due_at, time.time(), row_id],
        )

    def update_request(self, row_id: int, request: str) -> bool:
        """Change what a queued (or in review) row will publish (its source message was
        edited)."""
        cursor = self._db.execute(
            "UPDATE publish_queue SET request = ?, updated_at = ? WHERE id = ? "
            "AND state IN (?, ?)",
            [request, time.time(), row_id, QUEUED, REVIEW],
        )
        return cursor.rowcount == 1

    def decide(self, row_id: int, *, approved: bool) -> bool:
        """review -> queued (approved) or rejected; False if it was decided already."""
        cursor = self._db.execute(
            "UPDATE publish_queue SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
            [QUEUED if approved else REJECTED, time.time(), row_id, REVIEW],
        )
        return cursor.rowcount == 1

    def cancel(self, row_id: int) -> bool:
        """A queued (or in review) row will not be published."""
        cursor = self._db.execute(
            "UPDATE publish_queue SET state = ?, updated_at = ? WHERE id = ? AND state IN (?, ?)",
            [CANCELLED, time.time(), row_id, QUEUED, REVIEW],
        )
        return cursor.rowcount == 1

    def published_since(self, since: float, *, replies: bool) -> list[float]:
        """When the rows published since `since` went out (replies or not), oldest first."""
        kinds = "IN ('reply')" if replies else "NOT IN ('reply')"
        rows = many(
            self._db,
            f"SELECT updated_at FROM publish_queue WHERE state = ? AND kind {kinds} "  # noqa: S608
            "AND updated_at >= ? ORDER BY updated_at",
            [PUBLISHED, since],
        )
        return [float(r["updated_at"]) for r in rows]


def _post(row: dict[str, object]) -> QueuedPost:
    return QueuedPost(
        id=int(str(row["id"])),
        kind=str(row["kind"]),
        chat=Destination(
            Platform(str(row["platform"])), str(row["chat_id"]), str(row["topic_id"])
        ),
        user=ChatUser(str(row["user_id"]), str(row["user_name"])),
        request=str(row["request"]),
        origin=None if row["origin"] is None else str(row["origin"]),
        state=str(row["state"]),
        due_at=float(str(row["due_at"])),
        publication_id=None if row["publication_id"] is None else int(str(row["publication_id"])),
        permalink=None if row["permalink"] is None else str(row["permalink"]),
        error=None if row["error"] is None else str(row["error"]),
        created_at=float(str(row["created_at"])),
    )
