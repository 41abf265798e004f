"""SQLite whose writers queue on a lock instead of SQLite's sleeping busy handler.

SQLite lets one writer at a time in; a second writer's BEGIN IMMEDIATE gets SQLITE_BUSY and
the busy handler retries it after sleeps that grow to 100 ms, so under load a request waits
far longer than the transaction it waits for (p99 of seconds for transactions of a few ms).
Here a connection takes a write lock before its BEGIN and gives it back as soon as the
transaction ends - commit, rollback, or close, also when any of them raises - so writers
are woken the moment the lock is free:

- within a process, a `threading.Lock` per database file (threads queue in the kernel);
- across processes (gunicorn workers, the relay command), an exclusive `flock` on a file
  beside the database, taken after the thread lock, so only one thread per process waits
  for it; it is polled every millisecond or so, still two orders finer than SQLite's steps.

Both waits give up after the connection's `timeout` (OPTIONS, seconds) with the same
OperationalError "database is locked" SQLite would raise. Only transactions started by
`atomic()` take the lock (savepoints inside them do not); single statements in autocommit
mode still rely on SQLite's own busy handler. An in-memory database has no other writer to
wait for and takes only the thread lock.
"""

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3.base import Database
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper

_registry_lock = threading.Lock()
_locks: dict[tuple[int, str], "WriteLock"] = {}


class WriteLock:
    """The write lock of one database file in this process (a thread lock and a file lock)."""

    def __init__(self, path: str | None):
        self._thread_lock = threading.Lock()
        self._path = path
        self._fd: int | None = None

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=max(0.0, timeout)):
            return False
        try:
            if self._path is None or self._lock_file(deadline):
                return True
        except BaseException:
            self._thread_lock.release()
            raise
        self._thread_lock.release()
        return False

    def _lock_file(self, deadline: float) -> bool:
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        pause = 0.0002
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def release(self) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


def write_lock(name: str, in_memory: bool) -> WriteLock:
    """This process's lock for the database `name` (a fresh one after a fork)."""
    key = (os.getpid(), str(name))
    lock = _locks.get(key)
    if lock is None:
        with _registry_lock:
            lock = _locks.get(key)
            if lock is None:
                path = None if in_memory else f"{os.path.abspath(name)}-writer.lock"
                lock = _locks[key] = WriteLock(path)
    return lock


class DatabaseWrapper(SQLiteDatabaseWrapper):
    _holds_write_lock = False

    def _lock_timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _start_transaction_under_autocommit(self):
        lock = write_lock(self.settings_dict["NAME"], self.is_in_memory_db())
        if not lock.acquire(self._lock_timeout()):
            with self.wrap_database_errors:
                raise Database.OperationalError("database is locked")
        self._write_lock = lock
        self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            self._write_lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
