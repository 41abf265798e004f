"""SQLite whose writers queue on a lock instead of SQLite's sleeping busy handler.

SQLite lets one writer at a time in; a second writer's BEGIN IMMEDIATE gets SQLITE_BUSY and
the busy handler retries it after sleeps that grow to 100 ms, so under load a request waits
far longer than the transaction it waits for (p99 of seconds for transactions of a few ms).
Here a connection takes a write lock before its BEGIN and gives it back as soon as the
transaction ends - commit, rollback, or close, also when any of them raises - so writers
are woken the moment the lock is free (`write_lock.py`: a thread lock within a process, a
file lock across processes).

Checkpoints: copying the WAL's pages into the database file (and syncing both) is what SQLite
does inside the commit that takes the WAL past `wal_autocheckpoint` pages - with the write
lock held, so every other writer waits for the disk. Here every `CHECKPOINT_EVERY_COMMITS`-th
commit of a process checkpoints after it has let go of the lock, PASSIVE (it neither waits for
nor blocks a writer); SQLite's own checkpoint stays as a backstop, at a WAL of
`BACKSTOP_CHECKPOINT_PAGES` pages.

Both waits give up after the connection's `timeout` (OPTIONS, seconds) with the same
OperationalError "database is locked" SQLite would raise. Only transactions started by
`atomic()` take the lock (savepoints inside them do not); single statements in autocommit
mode still rely on SQLite's own busy handler. An in-memory database has no other writer to
wait for and takes only the thread lock.
"""

import logging

from django.db.backends.sqlite3.base import Database
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.db.backends.sqlite3.creation import DatabaseCreation as SQLiteDatabaseCreation

from issues_adapters.sqlite.write_lock import lock_files, write_lock

CHECKPOINT_EVERY_COMMITS = 100
BACKSTOP_CHECKPOINT_PAGES = 10_000

logger = logging.getLogger(__name__)


class DatabaseCreation(SQLiteDatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        super()._destroy_test_db(test_database_name, verbosity)
        if not self.is_in_memory_db(test_database_name):
            for path in lock_files(test_database_name):
                path.unlink(missing_ok=True)


class DatabaseWrapper(SQLiteDatabaseWrapper):
    creation_class = DatabaseCreation
    _holds_write_lock = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_CHECKPOINT_PAGES}")
        return connection

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
        checkpoint_due = False
        try:
            result = super()._commit()
            if self._holds_write_lock:
                checkpoint_due = self._write_lock.count_commit(CHECKPOINT_EVERY_COMMITS)
            return result
        finally:
            self._release_write_lock()
            if checkpoint_due:
                self._checkpoint()

    def _checkpoint(self) -> None:
        try:
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except Database.Error:
            # The commit stands; the next checkpoint (or SQLite's backstop) copies these pages.
            logger.warning("WAL checkpoint failed", exc_info=True)

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
