"""The stored Threads access token and what is known of its lifetime."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from sqlite_utils import Database

from storage.rows import one

THREADS = "threads"


@dataclass(frozen=True, slots=True)
class StoredToken:
    token: str
    obtained_at: float  # when we got it (or first saw it, for a token from the config)
    expires_at: float | None  # unknown for a configured token until its first refresh
    source: str  # "config", "auth" or "refresh"
    user_id: str | None = None
    refresh_error: str | None = None

    def __repr__(self) -> str:
        return f"StoredToken(token='***', source={self.source!r}, expires_at={self.expires_at!r})"


def fingerprint(token: str) -> str:
    """A hash to recognise a configured token by, without storing it twice."""
    return hashlib.sha256(token.encode()).hexdigest()


class Tokens:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str = THREADS) -> StoredToken | None:
        row = one(self._db, "SELECT * FROM tokens WHERE name = ?", [name])
        if row is None:
            return None
        return StoredToken(
            token=row["token"],
            obtained_at=row["obtained_at"],
            expires_at=row["expires_at"],
            source=row["source"],
            user_id=row["user_id"],
            refresh_error=row["refresh_error"],
        )

    def save(
        self,
        token: str,
        *,
        source: str,
        expires_in: float | None,
        user_id: str | None = None,
        config_token: str | None = None,
        name: str = THREADS,
    ) -> StoredToken:
        now = time.time()
        self._db.execute(
            """INSERT INTO tokens (name, token, user_id, obtained_at, expires_at, source,
                                   config_hash, refresh_error, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)
               ON CONFLICT (name) DO UPDATE SET
                   token = excluded.token, user_id = COALESCE(excluded.user_id, user_id),
                   obtained_at = excluded.obtained_at, expires_at = excluded.expires_at,
                   source = excluded.source,
                   config_hash = COALESCE(excluded.config_hash, config_hash),
                   refresh_error = NULL, updated_at = excluded.updated_at""",
            [
                name,
                token,
                user_id,
                now,
                now + expires_in if expires_in else None,
                source,
                fingerprint(config_token) if config_token else None,
                now,
            ],
        )
        stored = self.get(name)
        assert stored is not None
        return stored

    def effective(self, configured: str | None, name: str = THREADS) -> StoredToken | None:
        """The stored token if it is the one to use: there is no configured token, or the
        configured one is what it was adopted from (it may have been refreshed since)."""
        stored = self.get(name)
        if stored is None or configured is None:
            return stored
        row = one(self._db, "SELECT config_hash FROM tokens WHERE name = ?", [name])
        return (
            stored if row is not None and row["config_hash"] == fingerprint(configured) else None
        )

    def adopt_configured(self, token: str, name: str = THREADS) -> StoredToken:
        """The token to use at start-up: the stored one, unless the configured token is new
        (never seen, or changed since it was stored), which then replaces it."""
        stored = self.effective(token, name)
        if stored is not None:
            return stored
        return self.save(token, source="config", expires_in=None, config_token=token, name=name)

    def record_refresh_error(self, error: str, name: str = THREADS) -> None:
        self._db.execute(
            "UPDATE tokens SET refresh_error = ?, updated_at = ? WHERE name = ?",
            [error, time.time(), name],
        )
