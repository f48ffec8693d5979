"""Publications (what was published from chat, container by container) and the audit log."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlite_utils import Database

from bot.events import ChatUser, Destination
from storage.rows import many, one


@dataclass(frozen=True, slots=True)
class PendingContainer:
    """A container recorded before publishing whose outcome was never written down."""

    publication_id: int
    container_id: str
    request_json: str


class Publications:
    def __init__(self, db: Database) -> None:
        self._db = db

    def start(self, chat: Destination, user: ChatUser, kind: str, text: str) -> int:
        now = time.time()
        return int(
            self._db.execute(
                "INSERT INTO publications (platform, chat_id, user_id, kind, text, state, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'started', ?, ?)",
                [chat.platform, chat.chat_id, user.id, kind, text, now, now],
            ).lastrowid
            or 0
        )

    def add_container(self, publication_id: int, container_id: str, request_json: str) -> None:
        """Called before `threads_publish`: from here on a crash is settled by status."""
        self._db.execute(
            "UPDATE publications SET container_ids = json_insert(container_ids, '$[#]', ?), "
            "request = ?, state = 'publishing', updated_at = ? WHERE id = ?",
            [container_id, request_json, time.time(), publication_id],
        )

    def add_published(self, publication_id: int, media_id: str, permalink: str | None) -> None:
        """One post (or one part of a chain) is live."""
        self._db.execute(
            "UPDATE publications SET media_ids = json_insert(media_ids, '$[#]', ?), "
            "permalink = COALESCE(permalink, ?), state = 'partial', updated_at = ? WHERE id = ?",
            [media_id, permalink, time.time(), publication_id],
        )

    def finish(self, publication_id: int, *, error: str | None = None) -> None:
        state = "failed" if error else "published"
        self._db.execute(
            "UPDATE publications SET state = ?, error = ?, updated_at = ? WHERE id = ?",
            [state, error, time.time(), publication_id],
        )

    def unsettled(self) -> list[PendingContainer]:
        """Publications interrupted after a container was recorded and before its outcome."""
        rows = many(
            self._db,
            "SELECT id, container_ids, request FROM publications WHERE state = 'publishing'",
        )
        return [
            PendingContainer(row["id"], json.loads(row["container_ids"])[-1], row["request"])
            for row in rows
        ]

    def chats_of(self, media_id: str, kinds: tuple[str, ...]) -> set[tuple[str, str]]:
        """The chats (platform, chat id) whose publications of these kinds made `media_id`."""
        marks = ",".join("?" * len(kinds))
        rows = many(
            self._db,
            "SELECT DISTINCT p.platform, p.chat_id FROM publications AS p, "  # noqa: S608
            f"json_each(p.media_ids) AS m WHERE m.value = ? AND p.kind IN ({marks})",
            [media_id, *kinds],
        )
        return {(str(row["platform"]), str(row["chat_id"])) for row in rows}

    def state(self, publication_id: int) -> dict[str, object] | None:
        return one(self._db, "SELECT * FROM publications WHERE id = ?", [publication_id])


class Audit:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self,
        chat: Destination,
        user: ChatUser,
        action: str,
        detail: str,
        result: str,
        error: str | None = None,
        *,
        at: float | None = None,
    ) -> None:
        """One line of the audit; `at` defaults to now (a caller with its own clock passes
        it, so what it counts later is on the same time)."""
        self._db.execute(
            "INSERT INTO audit (at, platform, chat_id, user_id, user_name, action, detail, "
            "result, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                time.time() if at is None else at,
                chat.platform,
                chat.chat_id,
                user.id,
                user.name,
                action,
                detail,
                result,
                error,
            ],
        )

    def entries(self, limit: int = 100) -> list[dict[str, object]]:
        return many(self._db, "SELECT * FROM audit ORDER BY id DESC LIMIT ?", [limit])

    def times(self, action: str, result: str, since: float) -> list[float]:
        """When each `action` with this `result` happened after `since`, oldest first (the
        deletions of the last 24 h, which Meta limits)."""
        rows = self._db.execute(
            "SELECT at FROM audit WHERE action = ? AND result = ? AND at > ? ORDER BY at",
            [action, result, since],
        ).fetchall()
        return [float(at) for (at,) in rows]
