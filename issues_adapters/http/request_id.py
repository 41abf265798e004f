"""X-Request-ID in and out: each request runs under a correlation id, and its response says
which, whatever answered it (a page, the API, an error, a 404, a refusal by a middleware).

A caller's own id is kept only if it is 1-200 visible ASCII characters; anything else (empty,
too long, spaces, control characters, non-ASCII) is replaced by a fresh id rather than copied
into our logs, mail headers and events.
"""

import re

from django.utils.log import log_response

from issues_adapters.tracing import correlation

HEADER = "X-Request-ID"
_ACCEPTABLE = re.compile(r"[!-~]{1,200}")


class RequestIdInAndOut:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        with correlation(given if _ACCEPTABLE.fullmatch(given) else None) as request_id:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs a 4xx answer ("Not Found: /x") after the last middleware has
                # returned, outside this block; logged here, it carries the id (Django skips
                # a response logged already, as it does for a 5xx logged where it failed).
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        response[HEADER] = request_id
        return response
