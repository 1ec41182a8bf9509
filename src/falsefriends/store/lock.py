"""One writer at a time per workspace: migrations and ingests of concurrent audits never interleave.

Two audits started at once on one SQLite workspace used to race: both created the tables of a fresh database
("table accounts already exists"), and both inserted the same account key after each had checked it was not
there (a UNIQUE-constraint error). `workspace_lock` serialises them:

- an SQLite file: an OS lock (`flock`, or `msvcrt.locking` on Windows) on a file beside the database,
  `<database>.lock`, so separate processes wait for each other; and a lock per file within a process, so
  threads do too;
- PostgreSQL: a session advisory lock (`pg_advisory_lock`) on one key for the whole database;
- anything else (an in-memory SQLite database): the lock within the process.

The lock is re-entrant in the thread that holds it (an upgrade inside an ingest does not deadlock). Readers
do not take it: SQLite's WAL and PostgreSQL's MVCC give them a consistent view while a writer works.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, text

ADVISORY_KEY = 0x66616C73  # "fals": the workspace's one advisory lock on PostgreSQL


class _ProcessLock:
    """A re-entrant lock within this process, plus (for a file) the OS lock across processes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.handle: IO[bytes] | None = None

    def acquire(self) -> None:
        self.thread_lock.acquire()
        if self.depth == 0 and self.path is not None:
            try:
                self.handle = _lock_file(self.path)
            except BaseException:
                self.thread_lock.release()
                raise
        self.depth += 1

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0 and self.handle is not None:
            _unlock_file(self.handle)
            self.handle = None
        self.thread_lock.release()


_LOCKS: dict[str, _ProcessLock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_file(path: Path) -> IO[bytes] | None:
    """Open and lock `path` (created owner-only), waiting for any other holder; None if it cannot be created
    (a read-only folder: nothing can be written to that workspace either, the process lock still holds)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    handle = os.fdopen(fd, "r+b")
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        while True:
            try:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return handle
            except OSError:  # LK_LOCK gives up after about 10 s: keep waiting
                time.sleep(0.1)
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    return handle


def _unlock_file(handle: IO[bytes]) -> None:
    try:
        try:
            import fcntl
        except ImportError:  # Windows
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def lock_path(engine: Engine) -> Path | None:
    """The lock file of an SQLite workspace file (`<database>.lock`); None for other databases."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(os.path.abspath(database) + ".lock")


def _process_lock(engine: Engine) -> _ProcessLock:
    path = lock_path(engine)
    key = str(path) if path is not None else engine.url.render_as_string(hide_password=True)
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = _ProcessLock(path)
        return lock


@contextmanager
def workspace_lock(engine: Engine) -> Iterator[None]:
    """Hold the workspace's writer lock for the block (see the module's docstring)."""
    lock = _process_lock(engine)
    lock.acquire()
    try:
        if engine.dialect.name == "postgresql" and lock.depth == 1:
            with _advisory(engine):
                yield
        else:
            yield
    finally:
        lock.release()


@contextmanager
def _advisory(engine: Engine) -> Iterator[None]:
    connection: Any = engine.connect()
    try:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
    finally:
        connection.close()
