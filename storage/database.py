"""Opening the one SQLite file: created private (0600), WAL, migrated; or read-only, for
`check`, changing nothing on disk.

What can be wrong with the file or its folder is said in one line naming the path and what
to do (`storage_problem`); `open_database` refuses with that line as a StorageError, and
`check` prints the same line before `run` would meet it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

from storage.schema import migrations


class StorageError(Exception):
    """The database cannot be used as configured: the message says which path and why."""


def storage_problem(path: str | Path) -> str | None:
    """What stops this process from opening `path` read-write, found without writing."""
    if str(path) == ":memory:":
        return None
    path = Path(path)
    if str(path) in ("", "."):
        return "storage.path: empty; set it to the database file, e.g. threads-bridge.db"
    if path.is_dir():
        return (
            f"storage.path: {path} is a folder; name the database file inside it, "
            f"e.g. {path / 'threads-bridge.db'}"
        )
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        return f"storage.path: {folder} is not a folder; choose another storage.path"
    # The folder must take new files too: SQLite's -wal and -shm files, and `<db>.lock`.
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"storage.path: the folder {folder} is not writable by this user "
            f"(uid {os.geteuid()}); make it writable (chown/chmod) or choose another "
            "storage.path"
        )
    if not path.exists():
        return None
    owner = path.stat().st_uid
    if owner != os.geteuid() and os.geteuid() != 0:
        # The file is kept 0600 (it holds tokens): only its owner may chmod it, and a file
        # created by `sudo threads-bridge auth ...` for a service user is the usual case.
        return (
            f"storage.path: {path} belongs to uid {owner}, not to this user (uid "
            f"{os.geteuid()}); `chown {os.geteuid()} {path}` (and its -wal/-shm files), or "
            "run as its owner"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        return f"storage.path: {path} is read-only; make it writable: `chmod 600 {path}`"
    return None


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) and migrate. ":memory:" gives a throwaway database."""
    if str(path) == ":memory:":
        db = Database(memory=True)
    else:
        problem = storage_problem(path)
        if problem is not None:
            raise StorageError(problem)
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                # Create it ourselves so that it never exists with the umask's wider mode: it
                # holds tokens (after `auth`) and who-did-what.
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(path, 0o600)
            db = Database(path)
            db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit survives a process crash (kill -9); only a power loss can
            # take the last transactions, and the outbox then repeats rather than loses.
            db.execute("PRAGMA synchronous=NORMAL")
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"storage.path: cannot open {path} ({exc})") from exc
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    migrations.apply(db)
    return db


def open_readonly(path: str | Path) -> Database:
    """Open an existing database for reading only: no migration, no chmod, no journal mode
    change, and no file created (`check` must leave the disk as it found it)."""
    path = Path(path).resolve()
    # immutable=1 also keeps SQLite from creating -shm when no bridge has the file open
    # (no -wal file). With a -wal file present a bridge may be writing: plain read-only
    # then, so that what it committed is seen.
    wal = Path(f"{path}-wal")
    mode = "ro" if wal.exists() else "ro&immutable=1"
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode={mode}", uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise StorageError(f"storage.path: cannot read {path} ({exc})") from exc
    return Database(connection)
