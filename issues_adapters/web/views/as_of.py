"""The staff issue page with `?as_of=`: the issue as it was then, read-only, folded from its
events by the same code as the API's (issues_service/time_travel.py)."""

from datetime import UTC, datetime

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from issues_adapters.sla import display as sla_display
from issues_adapters.web import reference_data
from issues_adapters.web.presentation import timeline
from issues_adapters.wiring import issue_queries
from issues_service.time_travel import as_it_was


def _moment(value: str) -> tuple[datetime | None, str]:
    """The moment asked for, or None and why not."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, _("Give a moment like 2026-03-02T09:30, in UTC.")
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        # The page writes it in the server's zone: 0001-01-01T00:00+14:00 is in year 0 there.
        parsed.astimezone(UTC)
        timezone.localtime(parsed)
    except OverflowError:
        return None, _("Give a moment from the year 1 to the year 9999, in UTC.")
    return parsed, ""


def issue_as_of(request, issue_id):
    moment, refusal = _moment(request.GET["as_of"])
    if moment is None:
        context = {"alert": refusal, "issue": None}
        return render(request, "web/issue_as_of.html", context, status=400)
    queries = issue_queries()
    history = queries.history(issue_id)
    issue = as_it_was(issue_id, history, moment, history_of=queries.history)
    if issue is None and not history:
        raise Http404(_("The issue had not been reported at that moment."))
    if issue is None:  # asked about a time before its report: say so, not "page not found"
        reported = min(history, key=lambda e: e.version)
        context = {
            "issue": None,
            "moment": moment,
            "not_yet": {
                "id": issue_id,
                "reference": reported.data.get("reference", ""),
                "reported_at": reported.occurred_at,
            },
        }
        return render(request, "web/issue_as_of.html", context, status=404)
    names = reference_data.current().category_names
    issue = sla_display.with_sla_of(issue, history, moment)
    context = {
        "issue": issue,
        "sla": sla_display.panel_of(issue.sla),
        "moment": moment,
        "category_name": names.get(issue.category, issue.category) if issue.category else "",
        "timeline": timeline([e for e in history if e.version <= issue.version], names),
    }
    return render(request, "web/issue_as_of.html", context)
