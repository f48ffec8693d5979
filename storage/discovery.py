"""The discovery ledger: when each profile-discovery request went out, for the rolling 24 h."""

from __future__ import annotations

from sqlite_utils import Database

from storage.rows import one

WINDOW = 24 * 3600.0


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

    def used(self, now: float) -> int:
        """Requests in the 24 h up to `now`: what Meta counts against the budget."""
        row = one(
            self._db, "SELECT COUNT(*) AS n FROM discovery_calls WHERE at > ?", [now - WINDOW]
        )
        return int(row["n"]) if row else 0

    def times(self, now: float) -> list[float]:
        """When each request of the 24 h up to `now` was made, oldest first."""
        rows = self._db.execute(
            "SELECT at FROM discovery_calls WHERE at > ? ORDER BY at", [now - WINDOW]
        ).fetchall()
        return [float(at) for (at,) in rows]

    def frees_at(self, now: float) -> float | None:
        """When the oldest request in the window leaves it (a call comes free then)."""
        row = one(
            self._db, "SELECT MIN(at) AS at FROM discovery_calls WHERE at > ?", [now - WINDOW]
        )
        return float(row["at"]) + WINDOW if row and row["at"] is not None else None
