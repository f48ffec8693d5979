"""The discovery ledger: when each request of a per-user Meta budget went out, for the rolling
24 h. One table for both budgets, told apart by endpoint: profile discovery (profile_lookup +
profile_posts, 1,000 a day) and keyword search (keyword_search, 2,200 a day)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from storage.rows import one

WINDOW = 24 * 3600.0
PROFILE_DISCOVERY = ("profile_lookup", "profile_posts")
KEYWORD_SEARCH = ("keyword_search",)


class DiscoveryLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, at: float, endpoint: str) -> None:
        """One request sent; requests older than the window are forgotten on the way."""
        with self._db.atomic():
            self._db.execute(
                "INSERT INTO discovery_calls (at, endpoint) VALUES (?, ?)", [at, endpoint]
            )
            self._db.execute("DELETE FROM discovery_calls WHERE at <= ?", [at - WINDOW])

    def used(self, now: float, endpoints: Sequence[str] = PROFILE_DISCOVERY) -> int:
        """Requests to `endpoints` in the 24 h up to `now`: what Meta counts against the
        budget they share."""
        row = one(
            self._db,
            "SELECT COUNT(*) AS n FROM discovery_calls"
            " WHERE at > ? AND endpoint IN (SELECT value FROM json_each(?))",
            _args(now, endpoints),
        )
        return int(row["n"]) if row else 0

    def times(self, now: float, endpoints: Sequence[str] = PROFILE_DISCOVERY) -> list[float]:
        """When each request of the 24 h up to `now` was made, oldest first."""
        rows = self._db.execute(
            "SELECT at FROM discovery_calls"
            " WHERE at > ? AND endpoint IN (SELECT value FROM json_each(?)) ORDER BY at",
            _args(now, endpoints),
        ).fetchall()
        return [float(at) for (at,) in rows]

    def frees_at(self, now: float, endpoints: Sequence[str] = PROFILE_DISCOVERY) -> float | None:
        """When the oldest request in the window leaves it (a call comes free then)."""
        row = one(
            self._db,
            "SELECT MIN(at) AS at FROM discovery_calls"
            " WHERE at > ? AND endpoint IN (SELECT value FROM json_each(?))",
            _args(now, endpoints),
        )
        return float(row["at"]) + WINDOW if row and row["at"] is not None else None


def _args(now: float, endpoints: Sequence[str]) -> list[object]:
    return [now - WINDOW, json.dumps(list(endpoints))]
