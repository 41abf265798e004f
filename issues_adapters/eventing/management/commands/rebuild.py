"""Rebuild a read model from the event log while the live one keeps answering.

    manage.py rebuild web.queue_counts
    manage.py rebuild --list

Handlers that send mail cannot be rebuilt: replaying events never sends mail.
"""

from django.core.management.base import BaseCommand, CommandError

from issues_adapters.eventing import rebuilds
from issues_adapters.wiring import mail_handler_names, read_models


class Command(BaseCommand):
    help = "Rebuild a read model from the event log, without downtime."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="the read model (see --list)")
        parser.add_argument("--list", action="store_true", help="name the read models")

    def handle(self, *args, name, list, **options):
        known = read_models()
        if list or not name:
            self.stdout.write("\n".join(sorted(known)))
            if not list:
                raise CommandError("Name the read model to rebuild.")
            return
        try:
            rebuild = rebuilds.start(name, known, mail_handler_names(), requested_by="command")
        except rebuilds.RebuildRefused as refused:
            raise CommandError(str(refused)) from refused

        def progress(running):
            self.stdout.write(
                f"\r{running.events_done:,} of {running.events_total:,} events", ending=""
            )
            self.stdout.flush()

        try:
            done = rebuilds.run(rebuild, known[name], progress=progress)
        except Exception as error:
            raise CommandError(f"The rebuild of {name} failed: {error}") from error
        self.stdout.write(f"\nRebuilt {name} from {done.events_done:,} recorded events.")
