"""/staff/export.csv: the queue's current filter as CSV, streamed a keyset page at a time (the
queue's own cursor), so a million-row export never holds more than a page in memory."""

import csv
import dataclasses
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from issues_adapters.csv_cells import safe
from issues_adapters.sla import display as sla_display
from issues_adapters.web.views.staff import queue_filters, staff_required
from issues_adapters.wiring import issue_queries
from issues_service.queries import QueueFilters

PAGE = 500
COLUMNS = [
    "reference",
    "subject",
    "status",
    "priority",
    "category",
    "assignee",
    "reporter_name",
    "reporter_email",
    "reported_at",
    "updated_at",
    "sla_state",  # the queue's badge: its clock in the worst state, then the soonest due
    "sla_due_at",
    "description",
]


class _Line:
    """csv.writer writes into this, and the generator hands each line on."""

    def write(self, text: str) -> str:
        return text


def _issues(filters: QueueFilters) -> Iterator:
    """Each issue of the filter with its SLA badge (None where no policy applies), the badges
    read a page at a time as the queue reads them."""
    filters = dataclasses.replace(filters, cursor=None, page_size=PAGE)
    while True:
        page = issue_queries().queue(filters)
        badges = sla_display.badges_for(issue.id for issue in page.issues)
        for issue in page.issues:
            yield issue, badges.get(str(issue.id))
        if not page.next_cursor:
            return
        filters = dataclasses.replace(filters, cursor=page.next_cursor)


def _lines(filters: QueueFilters) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(COLUMNS)
    for issue, badge in _issues(filters):
        due_at = badge.due_at if badge else None
        yield writer.writerow(
            [
                safe(value)
                for value in (
                    issue.reference,
                    issue.subject,
                    issue.status,
                    issue.priority,
                    issue.category,
                    issue.assignee,
                    issue.reporter_name,
                    issue.reporter_email,
                    issue.reported_at.isoformat(),
                    issue.updated_at.isoformat(),
                    badge.state if badge else None,
                    due_at.isoformat() if due_at else None,
                    issue.description,
                )
            ]
        )


def filename(chosen: dict) -> str:
    parts = [chosen["view"]] + [
        f"{name}-{chosen[name]}"
        for name in ("status", "category", "priority", "assignee", "q")
        if chosen.get(name)
    ]
    return f"issues_{slugify('_'.join(parts))[:80]}_{timezone.now().date().isoformat()}.csv"


@require_GET
@staff_required
def export(request):
    filters, chosen = queue_filters(request)
    response = StreamingHttpResponse(_lines(filters), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(chosen)}"'
    return response
