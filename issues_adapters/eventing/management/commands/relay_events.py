"""Deliver recorded events that nobody delivered yet, and retries that are due; then keep going.

    manage.py relay_events            # loop: on start-up, then every --interval seconds
    manage.py relay_events --once     # one pass (after a crash, in a cron job, in tests)
    manage.py relay_events --replay read_model.issue_counts   # rebuild: every event again

With CELERY_BROKER_URL set, what it finds goes to Celery in batches (unless --in-process).
"""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from issues_adapters.eventing import relay


class Command(BaseCommand):
    help = "Deliver undelivered events and due retries to their handlers."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
        parser.add_argument(
            "--grace",
            type=float,
            default=None,
            help="leave events younger than this many seconds to the after-commit relay",
        )
        parser.add_argument(
            "--in-process", action="store_true", help="run handlers here even with a broker"
        )
        parser.add_argument(
            "--replay",
            action="append",
            metavar="HANDLER",
            help="deliver every event again to this handler (never a mail handler)",
        )

    def handle(self, *args, once, interval, grace, in_process, replay, **options):
        if replay:
            report = relay.replay(replay)
            self.stdout.write(f"Replayed: {report}")
            return
        grace_delta = timedelta(seconds=grace) if grace is not None else None
        while True:
            report = relay.sweep(in_process=True if in_process else None, grace=grace_delta)
            if sum(report.outcomes.values()) or once:
                self.stdout.write(f"Relayed: {report}")
            if once:
                return
            time.sleep(interval)
