"""The project's URLs plus two views for the tracing tests: one that tells the correlation id
it ran under, one that fails."""

from django.http import HttpResponse
from django.urls import include, path

from issues_adapters.tracing import current_correlation_id


def correlation_id_seen(request):
    return HttpResponse(current_correlation_id() or "none", content_type="text/plain")


def failing(request):
    raise RuntimeError("a view that fails")


urlpatterns = [
    path("test/correlation-id/", correlation_id_seen),
    path("test/failing/", failing),
    path("", include("issues_adapters.urls")),
]
