"""Inbound chat updates kept until handled, so a crash between "received" and "handled" loses
none (see m010 in storage/schema.py and the Telegram adapter)."""

from __future__ import annotations

import time

from sqlite_utils import Database

from storage.rows import many

KEEP_DONE = 24 * 3600.0


class UpdateInbox:
    def __init__(self, db: Database) -> None:
        self._db = db

    def received(self, platform: str, update_id: int, raw: str) -> None:
        """Written before the update is confirmed to the platform (a second copy is ignored)."""
        self._db.execute(
            "INSERT OR IGNORE INTO update_inbox (platform, update_id, raw, received_at) "
            "VALUES (?, ?, ?, ?)",
            [platform, update_id, raw, time.time()],
        )

    def claim(self, platform: str, update_id: int) -> bool:
        """Start handling: False when this update is handled (or being handled) already."""
        cursor = self._db.execute(
            "UPDATE update_inbox SET state = 'working' WHERE platform = ? AND update_id = ? "
            "AND state = 'pending'",
            [platform, update_id],
        )
        if cursor.rowcount == 1:
            return True
        known = self._db.execute(
            "SELECT 1 FROM update_inbox WHERE platform = ? AND update_id = ?",
            [platform, update_id],
        ).fetchone()
        return known is None  # never written down (the write failed): handle it anyway

    def done(self, platform: str, update_id: int) -> None:
        self._db.execute(
            "UPDATE update_inbox SET state = 'done' WHERE platform = ? AND update_id = ?",
            [platform, update_id],
        )

    def interrupted(self, platform: str) -> list[str]:
        """Updates received but not handled to the end (the last run died): raw JSON, in
        order, set back to pending for their replay. Old handled ones are pruned."""
        self._db.execute(
            "UPDATE update_inbox SET state = 'pending' WHERE platform = ? AND state = 'working'",
            [platform],
        )
        self._db.execute(
            "DELETE FROM update_inbox WHERE platform = ? AND state = 'done' AND received_at < ?",
            [platform, time.time() - KEEP_DONE],
        )
        rows = many(
            self._db,
            "SELECT raw FROM update_inbox WHERE platform = ? AND state = 'pending' "
            "ORDER BY update_id",
            [platform],
        )
        return [str(row["raw"]) for row in rows]
