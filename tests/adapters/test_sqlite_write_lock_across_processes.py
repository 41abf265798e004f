"""The SQLite write lock between processes: a waiter is woken when the holder lets go, gives
up when its time is up, and gets in when the holder dies."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from issues_adapters.sqlite.write_lock import WriteLock, lock_files

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

HOLDER = textwrap.dedent(
    """
    import sys
    from issues_adapters.sqlite.write_lock import WriteLock, lock_files

    lock = WriteLock(lock_files(sys.argv[1]))
    assert lock.acquire(timeout=5)
    print("held", flush=True)
    sys.stdin.readline()
    lock.release()
    print("released", flush=True)
    sys.stdin.readline()
    """
)


@pytest.fixture
def database(tmp_path):
    return str(tmp_path / "helpdesk.sqlite3")


@pytest.fixture
def holder(database):
    """Another process holding the lock until told to let go (a line on its stdin)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT,
    )
    assert process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait(timeout=10)


def test_a_waiter_is_woken_when_the_holder_in_another_process_lets_go(database, holder):
    lock = WriteLock(lock_files(database))
    # Were it only polling, the waiter would take its 3 s between polls to notice.
    lock.poll_seconds = 3.0
    acquired_at = []
    waiter = threading.Thread(
        target=lambda: lock.acquire(timeout=10) and acquired_at.append(time.monotonic())
    )
    waiter.start()
    time.sleep(0.3)  # the waiter is asleep, waiting for a wake-up
    assert acquired_at == []

    let_go_at = time.monotonic()
    holder.stdin.write("let go\n")
    holder.stdin.flush()
    waiter.join(15)
    lock.release()

    assert holder.stdout.readline().strip() == "released"
    assert acquired_at[0] - let_go_at < 2.0


def test_a_waiter_gives_up_when_its_time_is_up(database, holder):
    lock = WriteLock(lock_files(database))
    started = time.monotonic()

    assert not lock.acquire(timeout=0.3)

    assert 0.3 <= time.monotonic() - started < 3.0
    assert lock.acquire(timeout=0) is False  # and it holds nothing: the thread lock is free


def test_a_holder_that_dies_lets_the_waiter_in(database, holder):
    lock = WriteLock(lock_files(database))
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)

    assert lock.acquire(timeout=5)
    lock.release()


def test_wake_ups_nobody_waited_for_do_not_keep_a_waiter_spinning(database, holder):
    lock_file, fifo = lock_files(database)
    lock = WriteLock((lock_file, fifo))
    lock.poll_seconds = 3.0
    # The holder made the FIFO; tens of thousands of commits nobody waited on left a byte each.
    fifo_fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    os.write(fifo_fd, b"." * 60_000)
    os.close(fifo_fd)
    cpu_before = time.process_time()

    assert not lock.acquire(timeout=0.5)

    assert time.process_time() - cpu_before < 0.05


def test_where_no_fifo_can_be_made_a_waiter_polls_and_still_gets_in(database, holder, monkeypatch):
    def no_fifos(path, mode=0o666):
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(os, "mkfifo", no_fifos)
    _, fifo = lock_files(database)
    fifo.unlink()  # the holder made one; this waiter finds none and can make none
    lock = WriteLock(lock_files(database))
    assert not lock.acquire(timeout=0.2)

    holder.stdin.write("let go\n")
    holder.stdin.flush()

    assert lock.acquire(timeout=5)
    lock.release()
