"""GET /api/issues/{id}/?as_of=<ISO 8601>: the issue as it was then, folded from its events."""

from datetime import UTC, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.response import Response

from issues_adapters.api.serializers import issue_detail_data
from issues_adapters.sla import display as sla_display
from issues_adapters.wiring import issue_queries
from issues_domain.errors import IssueNotFound
from issues_service.time_travel import as_it_was

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATETIME,
    description="Show the issue as it was at this moment (ISO 8601; without a zone, UTC). "
    "404 if it had not been reported yet.",
)


def moment(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise exceptions.ValidationError(
            {"as_of": ["Give a moment in ISO 8601, like 2026-03-02T09:30:00Z."]}
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def as_of_response(request, issue_id) -> Response:
    when = moment(request.query_params["as_of"])
    queries = issue_queries()
    history = queries.history(issue_id)
    issue = as_it_was(issue_id, history, when, history_of=queries.history)
    if issue is None:
        raise IssueNotFound()
    return Response(issue_detail_data(sla_display.with_sla_of(issue, history, when), request))
