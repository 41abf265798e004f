"""The delivery worker: a daemon thread per process takes the positions of committed events
off a bounded queue, in batches, and hands each batch to its `deliver` function (dispatch.py:
deliver in-process, or publish to the Celery workers) on its own database connection.

The web request only records its events (in its own transaction) and, once that committed,
hands the positions to `submit()`, which puts them on the queue and returns at once.

Nothing here has to be reliable for no event to be lost: the events are recorded before the
positions are queued. If the queue is full, the thread died, or the process is killed with
positions still queued, the relay finds those events from the handlers' checkpoints and
delivers them, once.

Life cycle: the thread starts at the first `submit()` in a process (so a gunicorn master that
forks workers, or runserver's autoreloader, never carries one over), and is restarted by the
next `submit()` if it died. At interpreter exit (a gunicorn worker's graceful stop, runserver
reloading, a management command ending) `stop()` lets it deliver what is queued for up to
HELPDESK_DELIVERY_DRAIN_SECONDS, then closes its connection. Its connection is opened and
recycled like a request's: `close_old_connections()` before each batch honours CONN_MAX_AGE
and the health checks, and drops a connection broken by an error.
"""

import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_STOP = object()


class DeliveryWorker:
    """A bounded queue of positions and one thread delivering them, a batch at a time."""

    def __init__(
        self,
        deliver: Callable[[list[int]], object],
        *,
        batch_size: int = 100,
        queue_size: int = 10_000,
        linger: float = 0.0,
        backlog: int = 0,
        backlog_wait: float = 1.0,
        name: str = "helpdesk-delivery",
    ):
        self._deliver = deliver
        self.batch_size = batch_size
        self.backlog = backlog
        self.backlog_wait = backlog_wait
        self.linger = linger
        self.queue_size = queue_size
        self.name = name
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._reset()

    def _reset(self) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=self.queue_size)
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._outstanding = 0  # positions submitted and not yet through a delivery attempt
        self._stopped = False

    # -- the request's side ----------------------------------------------------------------

    def submit(self, positions: Iterable[int]) -> bool:
        """Queue these positions; never raises. False: left to the relay.

        With a `backlog` limit, a submitter whose process already has more events than that
        waiting for delivery waits (up to `backlog_wait` seconds) for the thread to catch up
        first: under a load the delivery cannot keep up with, requests slow down to its pace
        instead of mail falling further behind without end."""
        positions = list(positions)
        if not positions:
            return True
        try:
            with self._lock:
                if self._pid != os.getpid():  # forked: the parent's thread is not here
                    self._reset()
                if self._stopped:
                    return False
                if self.backlog and self._outstanding > self.backlog and self.running:
                    self._idle.wait_for(
                        lambda: self._outstanding <= self.backlog or not self.running,
                        timeout=self.backlog_wait,
                    )
                self._queue.put_nowait(positions)
                self._outstanding += len(positions)
                self._ensure_running()
            return True
        except queue.Full:
            logger.warning(
                "Delivery queue full (%s batches); the relay sweep will deliver events %s",
                self.queue_size,
                positions,
            )
        except Exception:
            logger.exception(
                "Could not queue events %s; the relay sweep will deliver them", positions
            )
        return False

    def _ensure_running(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        if self._thread is None:
            atexit.register(self.stop)
        else:
            logger.error("The delivery thread had died; starting a new one")
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    # -- the thread ------------------------------------------------------------------------

    def _next_batch(self) -> tuple[list[int], bool]:
        """Block for the first item, then take what else comes within `linger` seconds, up to
        a batch: under load a few milliseconds' wait makes batches of many events, and a batch
        costs little more to deliver than one event."""
        first = self._queue.get()
        if first is _STOP:
            return [], True
        positions = list(first)
        if self.linger > 0:
            # Sleep rather than wait on the queue: a waiting thread would be woken by every
            # commit's submit, and those wake-ups cost the requests more than the batch saves.
            time.sleep(self.linger)
        while len(positions) < self.batch_size:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return positions, True
            positions.extend(item)
        return positions, False

    def _run(self) -> None:
        try:
            while True:
                positions, stopping = self._next_batch()
                if positions:
                    self._deliver_batch(positions)
                if stopping:
                    return
        finally:
            connections.close_all()  # this thread's connections only

    def _deliver_batch(self, positions: list[int]) -> None:
        try:
            close_old_connections()
            self._deliver(sorted(positions))
        except Exception:
            # deliver_positions already keeps going past a failing handler; this is the
            # database itself. The deliveries stay pending or untracked for the sweep.
            logger.exception("Delivering events %s failed; the relay sweep will retry", positions)
            close_old_connections()
        finally:
            with self._lock:
                self._outstanding -= len(positions)
                self._idle.notify_all()  # a waiting submitter, or wait_until_idle

    # -- control ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._pid == os.getpid()

    def wait_until_idle(self, timeout: float = 10.0) -> bool:
        """True once everything submitted went through a delivery attempt (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._outstanding > 0 and self._pid == os.getpid():
                if not (self._thread and self._thread.is_alive()):
                    return False
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
            return True

    def stop(self, timeout: float | None = None) -> bool:
        """Deliver what is queued (up to `timeout` seconds), then end the thread.

        True if the thread ended; False if it was still busy (it is a daemon thread, so the
        process exits anyway, and the sweep delivers whatever it did not get to).
        """
        if timeout is None:
            timeout = settings.HELPDESK_DELIVERY_DRAIN_SECONDS
        with self._lock:
            thread = self._thread
            self._stopped = True
            if thread is None or not thread.is_alive() or self._pid != os.getpid():
                return True
        deadline = time.monotonic() + timeout
        try:
            self._queue.put(_STOP, timeout=max(0.0, timeout))
        except queue.Full:
            logger.warning("Delivery queue still full at stop; the relay sweep will deliver it")
            return False
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            logger.warning("Delivery thread still busy after %.0f s; left to the sweep", timeout)
            return False
        return True

    def restart(self) -> None:
        """Forget a stopped worker so that the next submit starts a fresh one (tests)."""
        self.stop()
        with self._lock:
            self._reset()
