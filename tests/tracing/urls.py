"""The project's URLs plus three views for the tracing tests: one that tells the correlation id
it ran under, one that logs, one that fails."""

import logging

from django.http import HttpResponse
from django.urls import include, path

from issues_adapters.tracing import current_correlation_id


def correlation_id_seen(request):
    return HttpResponse(current_correlation_id() or "none", content_type="text/plain")


def logging_view(request):
    logging.getLogger(__name__).info("the view logs this")
    return HttpResponse("logged")


def failing(request):
    raise RuntimeError("a view that fails")


urlpatterns = [
    path("test/correlation-id/", correlation_id_seen),
    path("test/logging/", logging_view),
    path("test/failing/", failing),
    path("", include("issues_adapters.urls")),
]
