"""Sources (what is polled) and profiles (who wrote it)."""

from __future__ import annotations

import time

from sqlite_utils import Database

from bot.events import Profile, Source, SourceKind
from storage.rows import Row, many, one


class Sources:
    def __init__(self, db: Database) -> None:
        self._db = db

    def ensure(self, kind: SourceKind, key: str) -> Source:
        """The source for (kind, key), created if new. Usernames are case-insensitive."""
        key = key.lower()
        self._db.execute(
            "INSERT OR IGNORE INTO sources (kind, key, created_at) VALUES (?, ?, ?)",
            [kind.value, key, time.time()],
        )
        source = self.find(kind, key)
        assert source is not None
        return source

    def find(self, kind: SourceKind, key: str) -> Source | None:
        row = one(
            self._db, "SELECT * FROM sources WHERE kind = ? AND key = ?", [kind.value, key.lower()]
        )
        return source_from_row(row) if row else None

    def get(self, source_id: int) -> Source | None:
        row = one(self._db, "SELECT * FROM sources WHERE id = ?", [source_id])
        return source_from_row(row) if row else None

    def active(self) -> list[Source]:
        """Sources with at least one active (not paused, not ended) subscription: the ones
        to poll."""
        rows = many(
            self._db,
            """SELECT * FROM sources WHERE id IN (
                   SELECT source_id FROM subscriptions
                   WHERE paused_reason IS NULL AND ended_at IS NULL)
               ORDER BY id""",
        )
        return [source_from_row(row) for row in rows]

    def record_poll(self, source_id: int, *, error: str | None = None) -> None:
        if error is None:
            self._db.execute(
                "UPDATE sources SET last_polled = ?, failures = 0, last_error = NULL WHERE id = ?",
                [time.time(), source_id],
            )
        else:
            self._db.execute(
                "UPDATE sources SET last_polled = ?, failures = failures + 1, last_error = ? "
                "WHERE id = ?",
                [time.time(), error, source_id],
            )

    def reset_cursor(self, source_id: int) -> None:
        """Forget where polling got to: the next poll takes a new baseline."""
        self._db.execute("UPDATE sources SET cursor = NULL WHERE id = ?", [source_id])

    # -- profiles -----------------------------------------------------------------------

    def save_profile(self, profile: Profile) -> None:
        self._db.execute(
            """INSERT INTO profiles (username, id, name, picture_url, biography, is_verified,
                                     follower_count, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (username) DO UPDATE SET
                   id = COALESCE(excluded.id, id), name = excluded.name,
                   picture_url = excluded.picture_url, biography = excluded.biography,
                   is_verified = excluded.is_verified,
                   follower_count = COALESCE(excluded.follower_count, follower_count),
                   updated_at = excluded.updated_at""",
            [
                profile.username.lower(),
                profile.id,
                profile.name,
                profile.picture_url,
                profile.biography,
                int(profile.is_verified),
                profile.follower_count,
                time.time(),
            ],
        )

    def profile(self, username: str) -> Profile | None:
        data = one(self._db, "SELECT * FROM profiles WHERE username = ?", [username.lower()])
        if data is None:
            return None
        return Profile(
            id=data["id"],
            username=data["username"],
            name=data["name"],
            picture_url=data["picture_url"],
            biography=data["biography"],
            is_verified=bool(data["is_verified"]),
            follower_count=data["follower_count"],
        )


def source_from_row(data: Row, prefix: str = "") -> Source:
    """A Source from a row (columns optionally prefixed, for joins)."""
    return Source(
        id=data[f"{prefix}id"],
        kind=SourceKind(data[f"{prefix}kind"]),
        key=data[f"{prefix}key"],
        cursor=data[f"{prefix}cursor"],
        last_polled=data[f"{prefix}last_polled"],
        failures=data[f"{prefix}failures"],
        last_error=data[f"{prefix}last_error"],
    )
