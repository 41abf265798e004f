"""Read the helpdesk's mailbox and turn each new message into an issue or a comment.

    manage.py fetch_mail var/inbox            # a Maildir folder or an mbox file
    manage.py fetch_mail --imap               # the IMAP mailbox set by HELPDESK_IMAP_* (env)

Safe to run again, and to run twice at once: each Message-ID is taken in exactly once.
"""

import imaplib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from issues_adapters.eventing import inbound
from issues_adapters.tracing import correlation
from issues_adapters.wiring import message_bus


class Command(BaseCommand):
    help = "Turn new mail into issues (or comments on the issues they answer)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Maildir folders or mbox files")
        parser.add_argument("--imap", action="store_true", help="read HELPDESK_IMAP_* instead")

    def handle(self, *args, **options):
        # The run's own lines (a message that cannot be read, say) carry an id of the run;
        # each message then runs under one of its own (inbound.take_in).
        with correlation():
            self._fetch(**options)

    def _fetch(self, *, paths, imap, **options):
        if not paths and not imap:
            raise CommandError("Give a Maildir or mbox path, or --imap.")
        if imap and not settings.HELPDESK_IMAP_HOST:
            raise CommandError("Set HELPDESK_IMAP_HOST (and _USER, _PASSWORD) to read IMAP.")
        counts: dict[str, int] = {"skipped": 0}
        bus = message_bus()
        for path in paths:
            for raw in inbound.read_path(path):
                self._count(counts, inbound.take_in(bus, raw))
        if imap:
            try:
                for raw, mark_seen in inbound.read_imap():
                    row = inbound.take_in(bus, raw)
                    self._count(counts, row)
                    mark_seen()
            except (OSError, imaplib.IMAP4.error) as error:  # TLS, refused, wrong password
                raise CommandError(
                    f"IMAP {settings.HELPDESK_IMAP_HOST}:{settings.HELPDESK_IMAP_PORT}: {error}"
                ) from error
        self.stdout.write(", ".join(f"{count} {what}" for what, count in counts.items()))

    @staticmethod
    def _count(counts: dict[str, int], row) -> None:
        key = "skipped" if row is None else row.status
        counts[key] = counts.get(key, 0) + 1
