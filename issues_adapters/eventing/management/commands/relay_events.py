"""Deliver recorded events that nobody delivered yet, and retries that are due; then keep going.

    manage.py relay_events            # loop: on start-up, then every --interval seconds
    manage.py relay_events --once     # one pass (after a crash, in a cron job, in tests)

Each pass also runs the SLA and auto-close timers (issues_adapters/sla/timers.py).

A pass that finds a full batch is followed by the next straight away, so a backlog is worked
off at delivery speed. With CELERY_BROKER_URL set, what it finds goes to Celery in batches
(unless --in-process). To rebuild a read model, see `manage.py rebuild`.

SIGTERM or SIGINT (a supervisor stopping it, Ctrl-C) lets the pass under way finish - its mail
sent and recorded, its checkpoints moved - and then exits 0, so a restart never finds a
delivery this process left half-done. The loop also clears expired sessions once an hour, and
on SQLite then gathers the planner's statistics again if the issues have grown by half.
"""

import contextlib
import signal
import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from issues_adapters.accounts import housekeeping
from issues_adapters.eventing import relay
from issues_adapters.persistence import planner_statistics
from issues_adapters.sla import timers
from issues_adapters.tracing import correlation
from issues_adapters.wiring import message_bus


class Command(BaseCommand):
    help = "Deliver undelivered events and due retries to their handlers."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
        parser.add_argument(
            "--grace",
            type=float,
            default=None,
            help="leave events younger than this many seconds to the after-commit delivery",
        )
        parser.add_argument(
            "--in-process", action="store_true", help="run handlers here even with a broker"
        )

    def handle(self, *args, once, interval, grace, in_process, **options):
        grace_delta = timedelta(seconds=grace) if grace is not None else None
        bus = message_bus()

        def one_pass() -> relay.Pass:
            with correlation():
                done = relay.sweep(bus, in_process=True if in_process else None, grace=grace_delta)
            if done.found or sum(done.tally.outcomes.values()) or once:
                self.stdout.write(f"Relayed: {done.tally}")
            with correlation():
                acted = timers.tick(bus)
            if acted.acted or once:
                self.stdout.write(f"Timers: {acted}")
            return done

        if once:
            one_pass()
            return
        stop = StopRequest()
        sessions = housekeeping.Every(housekeeping.CLEAR_SESSIONS_SECONDS)
        with stop.on_signals(signal.SIGTERM, signal.SIGINT):
            self.stdout.write(f"Relaying every {interval:g} s; SIGTERM stops it after its pass.")
            while not stop.requested:
                if sessions.due():
                    if cleared := housekeeping.clear_expired_sessions():
                        self.stdout.write(f"Cleared {cleared} expired sessions.")
                    if planner_statistics.gather_if_grown():
                        self.stdout.write("Gathered the database's statistics again.")
                if not one_pass().full:
                    stop.sleep(interval)
        self.stdout.write("Stopped: the last pass finished.")


class StopRequest:
    """Set by a signal; the loop looks at it between passes, never in the middle of one."""

    def __init__(self):
        self.requested = False

    @contextlib.contextmanager
    def on_signals(self, *signal_numbers):
        previous = {number: signal.signal(number, self._request) for number in signal_numbers}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _request(self, *_):
        self.requested = True

    def sleep(self, seconds: float) -> None:
        # In short steps: a signal does not cut time.sleep short (PEP 475).
        deadline = time.monotonic() + seconds
        while not self.requested and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.1))
