"""Where attachments' bytes live: Django's storage named `attachments` (settings.STORAGES), a
folder under var/ by default or S3-compatible storage. A file's name is its attachment's id:
nothing a client sent ever becomes part of a path."""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.files.storage import Storage, storages

from issues_domain.attachments import AttachmentLimits


def attachment_storage() -> Storage:
    return storages["attachments"]


def name_of(attachment_id: uuid.UUID) -> str:
    return str(attachment_id)


def configured_limits() -> AttachmentLimits:
    return AttachmentLimits(
        max_files=settings.HELPDESK_ATTACHMENTS_MAX_FILES,
        max_file_bytes=settings.HELPDESK_ATTACHMENTS_MAX_FILE_BYTES,
        max_message_bytes=settings.HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES,
    )


def discard(attachment_ids: Iterable[uuid.UUID]) -> None:
    """Delete stored files that no committed event will name (a refused command's)."""
    storage = attachment_storage()
    for attachment_id in attachment_ids:
        try:
            storage.delete(name_of(attachment_id))
        except Exception:  # the sweep (purge_orphan_files) gets what is left
            continue
