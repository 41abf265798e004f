"""Refuse a request body that is too large before anything reads it.

Django raises RequestDataTooBig wherever the body is first read (often the CSRF middleware),
which in DEBUG shows a technical page. Answering here gives a person the friendly 400 page and
a program a JSON error, the same in DEBUG and production, and reads none of the body.

It runs after the session, authentication and the staff member's language (nothing there
reads the body): a staff page is answered as one, in the staff member's language, naming the
message's limit and leading back to the issue the form was on.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse

from issues_adapters.http.refusals import is_api, refuse

# Room for the multipart headers of the most files a message may carry.
MULTIPART_OVERHEAD = 64 * 1024


class RefuseOversizedRequests:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._too_large(request):
            if _from_staff(request):
                return _too_large_for_staff(request)
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
        if limit is not None and _multipart(request):
            # Files are streamed to storage, never held: a message's files may be this large,
            # and the upload handler refuses a file or message over its limit by name.
            limit += settings.HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES + MULTIPART_OVERHEAD
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return limit is not None and length > limit


def _multipart(request) -> bool:
    return request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")


def _from_staff(request) -> bool:
    user = getattr(request, "user", None)
    on_staff_pages = request.path.startswith(reverse("staff_queue"))
    return on_staff_pages and not is_api(request) and bool(user and user.is_staff)


def _too_large_for_staff(request):
    try:
        issue_id = resolve(request.path_info).kwargs.get("issue_id")
    except Resolver404:
        issue_id = None
    back = reverse("staff_issue", kwargs={"issue_id": issue_id}) if issue_id else ""
    context = {"back": back, "with_files": _multipart(request)}
    return render(request, "web/too_large.html", context, status=413)
