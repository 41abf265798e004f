"""Opening an attachment: staff open any; a reporter, by their tracking link, only the public
files of their own issue (anything else is the same 404 as a file that does not exist)."""

import secrets
import uuid

from django.http import Http404
from django.views.decorators.http import require_GET

from issues_adapters.attachments.serving import file_response, thumbnail_response
from issues_adapters.web.views.staff import staff_required
from issues_adapters.wiring import issue_queries
from issues_service.queries import StoredAttachment


def _found(attachment_id: uuid.UUID) -> StoredAttachment:
    attachment = issue_queries().attachment(attachment_id)
    if attachment is None:
        raise Http404("There is no such file.")
    return attachment


def _reporters(token: str, attachment_id: uuid.UUID) -> StoredAttachment:
    attachment = _found(attachment_id)
    if attachment.visibility != "public" or not secrets.compare_digest(
        attachment.tracking_token.encode(), token.encode()
    ):
        raise Http404("There is no such file.")
    return attachment


@require_GET
@staff_required
def staff_attachment(request, attachment_id):
    return file_response(_found(attachment_id))


@require_GET
@staff_required
def staff_thumbnail(request, attachment_id):
    return thumbnail_response(_found(attachment_id))


@require_GET
def reporter_attachment(request, token, attachment_id):
    return file_response(_reporters(token, attachment_id))


@require_GET
def reporter_thumbnail(request, token, attachment_id):
    return thumbnail_response(_reporters(token, attachment_id))
