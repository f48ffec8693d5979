"""Opening the one SQLite file: created private (0600), WAL, migrated."""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from storage.schema import migrations


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) and migrate. ":memory:" gives a throwaway database."""
    if str(path) == ":memory:":
        db = Database(memory=True)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Create it ourselves so that it never exists with the umask's wider mode: it holds
            # tokens (after `auth`) and who-did-what.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        db = Database(path)
        db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit survives a process crash (kill -9); only a power loss can
        # take the last transactions, and the outbox then repeats rather than loses.
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    migrations.apply(db)
    return db
