"""SQLite serves one instance: a lock file beside the database file says which process runs the
scheduler. The lock is an exclusive `flock`, held for the life of the process; the operating system
lets go of it when the process ends, however it ends (SIGKILL included), so a stale lock file left
on disk never blocks the next start. PostgreSQL needs none of this: its instances share the work.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

LOCK_SUFFIX = ".lock"


class AlreadyLocked(Exception):
    """Another process holds the lock on this SQLite database."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass
class SqliteLock:
    """Held until `release()` or the end of the process."""

    path: Path
    _fd: int | None

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def database_file(database_url: str) -> str | None:
    """The file of a SQLite database URL; None for PostgreSQL or an in-memory database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return database


def lock_path(database_url: str) -> Path | None:
    """The lock file for a SQLite database file; None for PostgreSQL or an in-memory database."""
    database = database_file(database_url)
    if database is None:
        return None
    path = Path(database).resolve()
    return path.with_name(path.name + LOCK_SUFFIX)


def lock_sqlite(database_url: str) -> SqliteLock | None:
    """Take the lock for this process; None when there is nothing to lock (not a SQLite file).
    Raises AlreadyLocked, without waiting, when another process holds it."""
    path = lock_path(database_url)
    if path is None:
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyLocked(path) from None
    except BaseException:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())  # for a person wondering who holds it
    return SqliteLock(path, fd)
