"""The write lock of one SQLite database file, shared by the threads and processes using it.

- Within a process, a `threading.Lock` (threads queue in the kernel), so only one thread per
  process waits for the file lock.
- Across processes (gunicorn workers, the relay command), an exclusive `flock` on a file
  beside the database. The kernel lets go of it when its holder dies, however it dies.

A blocking `flock` cannot give up after a timeout, and polling it leaves the lock idle between
polls (under load, a tenth of the writes a second went that way). So a process that lets go
writes a byte to a FIFO beside the database, and a waiting process sleeps in `poll` on that
FIFO until the byte comes - or, should a wake-up go astray (a holder killed before it could
write one), at most `POLL_SECONDS`. `poll` takes a timeout, so `acquire` still gives up when
its time is up. Where no FIFO can be made (a file system without them), waiters fall back to
polling the file lock every `FALLBACK_POLL_SECONDS`.
"""

import contextlib
import errno
import fcntl
import logging
import os
import select
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.005
FALLBACK_POLL_SECONDS = 0.002

logger = logging.getLogger(__name__)

_registry_lock = threading.Lock()
_locks: dict[tuple[int, str], "WriteLock"] = {}


class WriteLock:
    """The write lock of one database file in this process (a thread lock and a file lock)."""

    poll_seconds = POLL_SECONDS

    def __init__(self, files: tuple[Path, Path] | None):
        self._thread_lock = threading.Lock()
        self._files = files
        self._fd: int | None = None
        self._wakeups: int | None = None
        self._woken: select.poll | None = None
        self._commits = 0

    def count_commit(self, every: int) -> bool:
        """Count a commit made under this lock (call it while holding the lock); True at each
        `every`-th, when it is time to checkpoint."""
        self._commits += 1
        if self._commits < every:
            return False
        self._commits = 0
        return True

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=max(0.0, timeout)):
            return False
        try:
            if self._files is None or self._lock_file(deadline):
                return True
        except BaseException:
            self._thread_lock.release()
            raise
        self._thread_lock.release()
        return False

    def release(self) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                self._wake_a_waiter()
        finally:
            self._thread_lock.release()

    def _lock_file(self, deadline: float) -> bool:
        if self._fd is None:
            lock_file, fifo = self._files
            self._fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
            self._wakeups = _open_fifo(fifo)
            if self._wakeups is not None:
                self._woken = select.poll()  # not select(): descriptors past 1023 are fine
                self._woken.register(self._wakeups, select.POLLIN)
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                if self._woken is None:
                    time.sleep(min(remaining, FALLBACK_POLL_SECONDS))
                    continue
                self._woken.poll(1000 * min(remaining, self.poll_seconds))
                _drain(self._wakeups)

    def _wake_a_waiter(self) -> None:
        if self._wakeups is None:
            return
        with contextlib.suppress(BlockingIOError):  # the FIFO is full of wake-ups already
            os.write(self._wakeups, b".")


def _open_fifo(path: Path) -> int | None:
    try:
        with contextlib.suppress(FileExistsError):
            os.mkfifo(path, 0o600)
        # Read and write ends in one descriptor: opening never blocks, and the FIFO never closes.
        return os.open(path, os.O_RDWR | os.O_NONBLOCK)
    except OSError as error:
        logger.warning("No FIFO for write-lock wake-ups at %s (%s); polling instead", path, error)
        return None


def _drain(fd: int) -> None:
    """Take every wake-up waiting: one is enough to try the lock again, and those left behind
    would only wake this process again for nothing."""
    try:
        while os.read(fd, 4096):
            pass
    except OSError as error:
        if error.errno != errno.EAGAIN:
            raise


def lock_files(name: str) -> tuple[Path, Path]:
    """The lock file and the FIFO of wake-ups beside the database `name`."""
    lock = Path(f"{os.path.abspath(name)}-writer.lock")
    return lock, Path(f"{lock}.wake")


def write_lock(name: str, in_memory: bool) -> WriteLock:
    """This process's lock for the database `name` (a fresh one after a fork)."""
    key = (os.getpid(), str(name))
    lock = _locks.get(key)
    if lock is None:
        with _registry_lock:
            lock = _locks.get(key)
            if lock is None:
                lock = _locks[key] = WriteLock(None if in_memory else lock_files(name))
    return lock
