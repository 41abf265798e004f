"""Deliver recorded events that nobody delivered yet, and retries that are due; then keep going.

    manage.py relay_events            # loop: on start-up, then every --interval seconds
    manage.py relay_events --once     # one pass (after a crash, in a cron job, in tests)

A pass that finds a full batch is followed by the next straight away, so a backlog is worked
off at delivery speed. With CELERY_BROKER_URL set, what it finds goes to Celery in batches
(unless --in-process). To rebuild a read model, see `manage.py rebuild`.
"""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from issues_adapters.eventing import relay
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
        while True:
            with correlation():
                done = relay.sweep(bus, in_process=True if in_process else None, grace=grace_delta)
            if done.found or sum(done.tally.outcomes.values()) or once:
                self.stdout.write(f"Relayed: {done.tally}")
            if once:
                return
            if not done.full:
                time.sleep(interval)
