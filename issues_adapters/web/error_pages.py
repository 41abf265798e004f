"""The product's own error pages in development too.

With DEBUG on, Django answers a 404, a bad request or a crash with its technical pages: the URL
list, the settings, the traceback. Under `make run` a reporter with a mistyped tracking link
would see those, so with DEBUG on this answers as production does, through the same handlers
(issues_adapters/http/error_pages.py: JSON under /api/, else 404.html, 400.html, 500.html);
the traceback still goes to the log, that is the console `make run` prints to.
With DEBUG off Django already does all of this, and these middlewares do nothing.
"""

from django.conf import settings
from django.core import signals
from django.core.exceptions import (
    BadRequest,
    DisallowedHost,
    PermissionDenied,
    SuspiciousOperation,
)
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import Resolver404
from django.utils.log import log_response

from issues_adapters.http import error_pages

# Django answers these through handler400 and handler403 even in DEBUG.
_ANSWERED_ALREADY = (PermissionDenied, MultiPartParserError)


class ProductErrorPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            # No URL matched: Django's answer in DEBUG lists every URL pattern.
            return error_pages.page_not_found(request, Resolver404({"path": request.path_info}))
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return error_pages.page_not_found(request, exception)
        if isinstance(exception, SuspiciousOperation):
            return error_pages.suspicious(request, exception)
        if isinstance(exception, BadRequest):
            response = error_pages.bad_request(request, exception)
            log_response(
                "%s: %s",
                str(exception),
                request.path,
                response=response,
                request=request,
                exception=exception,
            )
            return response
        if isinstance(exception, _ANSWERED_ALREADY) or not isinstance(exception, Exception):
            return None
        # What Django does with an uncaught exception, minus the technical page.
        signals.got_request_exception.send(sender=None, request=request)
        response = error_pages.server_error(request)
        log_response(
            "%s: %s",
            "Internal Server Error",
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response


class RefuseUnknownHosts:
    """With DEBUG on, a Host header not in ALLOWED_HOSTS gets the product's 400, not Django's
    technical page with the settings. CommonMiddleware asks for the host before any view, so
    this comes before it in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            try:
                request.get_host()
            except DisallowedHost as refused:
                return error_pages.suspicious(request, refused)
        return self.get_response(request)


def csrf_failure(request, reason=""):
    """A refused form (an expired page, cookies off) gets the product's page, not Django's."""
    return render(request, "403_csrf.html", status=403)
