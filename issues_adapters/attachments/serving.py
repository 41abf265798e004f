"""Answering with an attachment's bytes, safely whoever uploaded them.

Only images on the allow-list (png, jpeg, gif, webp) are shown inline, and with their own
type; everything else is a download typed `application/octet-stream`. Every file response
says `nosniff` and `Content-Security-Policy: sandbox`, so even a browser that guessed would
run nothing; its length is the stored size. Range requests are the web server's to serve.
"""

from django.http import FileResponse, Http404, HttpResponse

from issues_adapters.attachments.storage import attachment_storage, name_of
from issues_adapters.attachments.thumbnails import thumbnail_png
from issues_domain.attachments import INLINE_IMAGE_TYPES
from issues_service.queries import AttachmentView


def _opened(attachment: AttachmentView):
    try:
        return attachment_storage().open(name_of(attachment.id), "rb")
    except (FileNotFoundError, OSError):
        raise Http404("This file is not there.") from None


def _safe(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def file_response(attachment: AttachmentView) -> FileResponse:
    inline = attachment.content_type in INLINE_IMAGE_TYPES
    response = FileResponse(
        _opened(attachment),
        as_attachment=not inline,
        filename=attachment.filename,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["Content-Length"] = str(attachment.size)
    return _safe(response)


def thumbnail_response(attachment: AttachmentView) -> HttpResponse:
    if attachment.content_type not in INLINE_IMAGE_TYPES:
        raise Http404("Only images have thumbnails.")
    with _opened(attachment) as handle:
        png = thumbnail_png(handle)
    if png is None:
        raise Http404("This image cannot be shown.")
    return _safe(HttpResponse(png, content_type="image/png"))
