"""Named pieces of the bridge's own state kept across restarts, as JSON."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from storage.rows import one


class BridgeState:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str) -> Any:
        row = one(self._db, "SELECT json FROM bridge_state WHERE name = ?", [name])
        return json.loads(row["json"]) if row else None

    def put(self, name: str, value: Any) -> None:
        self._db.execute(
            "INSERT INTO bridge_state (name, json) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET json = excluded.json",
            [name, json.dumps(value)],
        )

    def forget(self, name: str) -> None:
        self._db.execute("DELETE FROM bridge_state WHERE name = ?", [name])
