"""Django's error pages (handler400/403/404/500): under /api/ the API's JSON error shape
(issues_adapters/api/errors.py), elsewhere the templates.

DRF answers the errors its views raise; these answer the rest: a path no view serves, and any
exception DRF leaves alone, which with DEBUG=0 was Django's HTML 500 page.
"""

import logging

from django.http import JsonResponse
from django.views import defaults
from rest_framework.settings import api_settings

from issues_adapters.http.refusals import is_api


def bad_request(request, exception):
    if is_api(request):
        message = "The request could not be understood."
        return JsonResponse({api_settings.NON_FIELD_ERRORS_KEY: [message]}, status=400)
    return defaults.bad_request(request, exception)


def suspicious(request, exception):
    """A SuspiciousOperation answered as Django answers it with DEBUG off: logged to
    django.security.<name>, then the 400 above."""
    logging.getLogger(f"django.security.{type(exception).__name__}").error(
        str(exception), exc_info=exception, extra={"status_code": 400, "request": request}
    )
    return bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return _problem(403, "permission_denied", "You do not have permission to do this.")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return _problem(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return _problem(
            500, "server_error", "Something went wrong on our side; nothing was changed."
        )
    return defaults.server_error(request)


def _problem(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status)
