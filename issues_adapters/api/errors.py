"""The one place where errors become HTTP responses (REST_FRAMEWORK["EXCEPTION_HANDLER"]).

Bodies, for every endpoint:

- 400: `{"<field>": ["message", ...]}`; what belongs to no one field (a body that is not JSON,
  not an object) is under `non_field_errors`; a bad header is under the header's name
  (`If-Match`, `Idempotency-Key`), a bad page link under `cursor`.
- anything else: `{"code": "<snake_case>", "detail": "<human message>"}`, e.g. 404
  `issue_not_found`, 409 `issue_already_resolved`, 412 `stale_version`, 401
  `not_authenticated` (no credentials or a bad one), 403 `permission_denied`, 429 `throttled`
  (with `Retry-After`).

What DRF's views do not answer (a path no view serves, a server error) gets the same shapes
from issues_adapters/http/error_pages.py, e.g. 404 `not_found`, 500 `server_error`; a body
nested too deep is a 400 under `non_field_errors` (parsers.py).
"""

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from issues_adapters.http import error_pages
from issues_adapters.persistence.queries import InvalidCursor
from issues_adapters.texts import translated, translated_errors
from issues_domain.errors import (
    CommandRefused,
    InvalidInput,
    IssueNotFound,
    StaleVersion,
)

# A refusal that says "try again", not "this will never work": an Idempotency-Key must not
# remember it, or the retry it invites would get the same refusal for 24 hours.
TRANSIENT_CODES = frozenset({"concurrent_update", "throttled"})


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was already used for a different request; use a new key for a "
        "new request."
    )


class IdempotencyKeyInUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_use"
    default_detail = (
        "A request with this Idempotency-Key is still being processed; retry in a moment to "
        "get its response."
    )


def _problem(status_code: int, code: str, detail: str, headers=None) -> Response:
    return Response({"code": code, "detail": detail}, status=status_code, headers=headers)


def api_exception_handler(exc, context):
    if isinstance(exc, InvalidInput):
        return Response(translated_errors(exc.errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, InvalidCursor):
        return Response({"cursor": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IssueNotFound):
        return _problem(status.HTTP_404_NOT_FOUND, exc.code, translated(exc.detail))
    if isinstance(exc, StaleVersion):
        return _problem(
            status.HTTP_412_PRECONDITION_FAILED,
            exc.code,
            translated(exc.detail),
            headers={"ETag": f'"{exc.actual}"'},
        )
    if isinstance(exc, CommandRefused):
        return _problem(status.HTTP_409_CONFLICT, exc.code, translated(exc.detail))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, SuspiciousOperation):
        # Django's own answer, given here: with DEBUG on, DRF would re-raise it through a path
        # that needs a renderer not chosen yet (too many query parameters), a 500.
        return error_pages.suspicious(context["request"], exc)
    if isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc.detail)]})

    response = drf_exception_handler(exc, context)  # sets Retry-After, WWW-Authenticate
    if response is None:
        return None  # a bug: Django answers 500 and logs it
    if isinstance(exc, exceptions.ValidationError):
        if not isinstance(response.data, dict):
            response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
        return response
    codes = exc.get_codes()
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        # No credentials and a bad one alike: the one 401 code docs/api.md lists.
        codes = exceptions.NotAuthenticated.default_code
    response.data = {
        "code": codes if isinstance(codes, str) else exc.default_code,
        "detail": str(exc.detail)
        if not isinstance(exc.detail, dict | list)
        else exc.default_detail,
    }
    return response
