"""The SQLite backend's write lock: writers queue on it, every way out gives it back, and the
WAL is checkpointed outside it."""

import threading
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections, transaction

from issues_adapters.sqlite.base import CHECKPOINT_EVERY_COMMITS
from issues_adapters.sqlite.write_lock import write_lock

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend only"),
    pytest.mark.django_db(transaction=True),
]

TABLE = "write_lock_probe"


class Boom(Exception):
    pass


@pytest.fixture
def probe_table():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, n INTEGER)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")


def the_lock():
    return write_lock(connection.settings_dict["NAME"], connection.is_in_memory_db())


def lock_is_free(timeout: float = 0.5) -> bool:
    lock = the_lock()
    if lock.acquire(timeout=timeout):
        lock.release()
        return True
    return False


def test_many_threads_write_through_the_lock_without_database_is_locked(probe_table):
    errors, per_thread, threads = [], 25, 8

    def write():
        try:
            for _ in range(per_thread):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"INSERT INTO {TABLE} (n) VALUES (1)")
                    with transaction.atomic():  # a savepoint takes nothing more
                        cursor.execute(f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1")
        except Exception as error:  # pragma: no cover - the failure being tested for
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        assert cursor.fetchone()[0] == threads * per_thread
    assert lock_is_free()


def test_an_exception_in_the_transaction_gives_the_lock_back(probe_table):
    with pytest.raises(Boom), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (n) VALUES (1)")
        raise Boom
    assert lock_is_free()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        assert cursor.fetchone()[0] == 0


def test_a_failing_savepoint_keeps_the_lock_until_the_outer_commit(probe_table):
    with transaction.atomic():
        with pytest.raises(Boom), transaction.atomic():
            raise Boom
        assert not lock_is_free_from_another_thread()
    assert lock_is_free()


def lock_is_free_from_another_thread() -> bool:
    result = []
    thread = threading.Thread(target=lambda: result.append(lock_is_free(timeout=0.05)))
    thread.start()
    thread.join()
    return result[0]


def test_closing_the_connection_inside_a_transaction_gives_the_lock_back():
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        connection.close()
        assert lock_is_free()
    finally:
        atomic.__exit__(None, None, None)
    assert lock_is_free()


def test_a_writer_that_cannot_get_the_lock_in_time_gets_database_is_locked():
    lock = the_lock()
    assert lock.acquire(timeout=1)
    original = connection.settings_dict["OPTIONS"].get("timeout")
    connection.settings_dict["OPTIONS"]["timeout"] = 0.05
    try:
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic():
            pass
    finally:
        connection.settings_dict["OPTIONS"]["timeout"] = original
        lock.release()
    assert lock_is_free()


def test_the_wal_is_checkpointed_after_the_lock_is_let_go_not_inside_a_commit():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (id INTEGER PRIMARY KEY, payload BLOB)")
    try:
        with connection.cursor() as cursor:
            # Pages that earlier tests freed would take the rows in without the file growing.
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        the_lock()._commits = 0
        database_file = Path(connection.settings_dict["NAME"])
        size_before = database_file.stat().st_size
        megabyte = 1024 * 1024

        for _ in range(CHECKPOINT_EVERY_COMMITS - 1):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {TABLE} (payload) VALUES (randomblob(100000))")
        grown_in_commits = database_file.stat().st_size - size_before
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (payload) VALUES (randomblob(100000))")
        grown_after_the_last = database_file.stat().st_size - size_before

        # ~10 MB went into the WAL: none of it reached the database file inside a commit...
        assert grown_in_commits < megabyte
        # ...and all of it once the hundredth commit had let go of the lock.
        assert grown_after_the_last > 9 * megabyte
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {TABLE}")
