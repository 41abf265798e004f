"""Refuse a request body that is too large before anything reads it.

Django raises RequestDataTooBig wherever the body is first read (often the CSRF middleware),
which in DEBUG shows a technical page. Answering here gives a person the friendly 400 page and
a program a JSON error, the same in DEBUG and production, and reads none of the body.
"""

from django.conf import settings

from issues_adapters.http.refusals import refuse

# Room for the multipart headers of the most files a message may carry.
MULTIPART_OVERHEAD = 64 * 1024


class RefuseOversizedRequests:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._too_large(request):
            return refuse(
                request,
                {
                    "code": "request_too_large",
                    "detail": "The request body is larger than this server accepts.",
                },
                api_status=413,
            )
        return self.get_response(request)

    @staticmethod
    def _too_large(request) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.META.get("CONTENT_TYPE", "").startswith(
            "multipart/form-data"
        ):
            # Files are streamed to storage, never held: a message's files may be this large,
            # and the upload handler refuses a file or message over its limit by name.
            limit += settings.HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES + MULTIPART_OVERHEAD
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return limit is not None and length > limit
