from django.conf import settings


def attachment_limits(request) -> dict:
    """What the file fields tell people about the limits."""
    return {
        "attachment_limits": {
            "files": settings.HELPDESK_ATTACHMENTS_MAX_FILES,
            "file_mb": settings.HELPDESK_ATTACHMENTS_MAX_FILE_BYTES // 1_000_000,
            "message_mb": settings.HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES // 1_000_000,
            "message_bytes": settings.HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES,
        }
    }
