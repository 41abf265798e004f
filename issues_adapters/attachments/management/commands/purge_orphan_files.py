"""Delete stored files that no committed event names, once older than a grace period.

Files are written before their command commits; a refused command deletes its own, but a
crash between the write and the commit leaves a file behind. A file is named by its
attachment's id, and the row of every attachment an event recorded is written in that
event's transaction, so a file with no row, older than any request could still be running,
is an orphan.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from issues_adapters.attachments.storage import attachment_storage
from issues_adapters.persistence.models import AttachmentRecord


def purge_orphan_files(grace: timedelta, now=None) -> list[str]:
    storage = attachment_storage()
    cutoff = (now or timezone.now()) - grace
    _folders, names = storage.listdir("")
    ids = {}
    for name in names:
        try:
            ids[uuid.UUID(name)] = name
        except ValueError:
            continue  # not ours
    known = set(AttachmentRecord.objects.filter(id__in=ids).values_list("id", flat=True))
    purged = []
    for attachment_id, name in ids.items():
        if attachment_id in known or storage.get_modified_time(name) > cutoff:
            continue
        storage.delete(name)
        purged.append(name)
    return purged


class Command(BaseCommand):
    help = "Delete attachment files that no recorded event names (left by crashed requests)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-seconds",
            type=int,
            default=None,
            help="Only files older than this (default HELPDESK_ORPHAN_FILE_GRACE_SECONDS).",
        )

    def handle(self, *args, grace_seconds=None, **options):
        grace = grace_seconds
        if grace is None:
            grace = settings.HELPDESK_ORPHAN_FILE_GRACE_SECONDS
        purged = purge_orphan_files(timedelta(seconds=grace))
        self.stdout.write(f"Purged {len(purged)} orphan file(s).")
