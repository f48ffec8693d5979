"""One bridge per database: `run` holds an exclusive lock on `<db>.lock` for its whole life.

Two bridges on one database both deliver (posts twice) and fight over Telegram's getUpdates.
The lock is `flock`, so the kernel drops it when the process ends however it ends (kill -9
included): a stale lock file never blocks a restart. The file stays; it holds the pid of the
holder, for the refusal message.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.database import StorageError


class AlreadyRunning(Exception):
    """Another process holds the database's lock."""


def lock_path(db_path: str | Path) -> Path:
    """The lock of the database file itself: a symlink or another spelling of the path to
    the same file (`./x.db`, `/srv/../srv/x.db`) finds the same lock."""
    return Path(f"{Path(db_path).resolve()}.lock")


@contextmanager
def hold_run_lock(db_path: str | Path) -> Iterator[None]:
    """Hold the lock of `db_path` until the block ends; AlreadyRunning if another has it."""
    if str(db_path) == ":memory:":
        yield
        return
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as the database itself would be
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StorageError(
            f"storage.path: cannot create the lock file {path} ({exc.strerror}); make its "
            "folder writable by this user"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise AlreadyRunning(
                f"{db_path}: another threads-bridge is already running on this database"
                f"{f' (pid {holder})' if holder.isdigit() else ''}; stop it first, or give "
                "this one its own storage.path"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def running_pid(db_path: str | Path) -> int | None:
    """The pid of a bridge holding the lock of `db_path`, found without creating or changing
    any file (for `check`); None when none runs."""
    path = lock_path(db_path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None  # no lock file: never run here; unreadable: not ours to judge
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return int(holder) if holder.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
