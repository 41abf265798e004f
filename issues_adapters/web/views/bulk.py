"""Bulk actions on the queue: one command per chosen issue, one summary of what happened.

The issues are the ticked ones, or every issue the queue's filter matches (across its pages,
up to BULK_LIMIT). An action that mails people asks first, saying how many mails it sends.
Which issues an action can change at all is the domain's lifecycle table.
"""

import uuid

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from issues_adapters.texts import explanation
from issues_adapters.web import forms, kept_forms, selectors
from issues_adapters.web.panels import typed_tags
from issues_adapters.web.views.staff import BULK_LIMIT, filters_from, staff_required
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain import audience, commands
from issues_domain.errors import CommandRefused, InvalidInput, IssueNotFound, StaleVersion
from issues_domain.lifecycle import Action, allowed_actions
from issues_domain.values import Actor, clean_question, clean_resolution
from issues_service.queries import IssueSummary

TICKED_LIMIT = 100


def _done(action: str, count: int) -> str:
    words = {
        "assign": ngettext("%(n)d assigned", "%(n)d assigned", count),
        "triage": ngettext("%(n)d triaged", "%(n)d triaged", count),
        "resolve": ngettext("%(n)d resolved", "%(n)d resolved", count),
        "await_reporter": ngettext(
            "%(n)d waiting on the reporter", "%(n)d waiting on the reporter", count
        ),
        "close": ngettext("%(n)d closed", "%(n)d closed", count),
        "tag": ngettext("%(n)d tagged", "%(n)d tagged", count),
    }
    return words[action] % {"n": count}


def _check_typed_text(action: str, data: dict) -> None:
    """The domain's checks of what was typed, once for all the issues, before any changes."""
    if action == "await_reporter":
        clean_question(data["comment"])
    elif action == "resolve":
        clean_resolution(data["resolution"])


def _command(action: str, issue: IssueSummary, actor: Actor, data: dict, version):
    common = {"issue_id": issue.id, "actor": actor, "expected_version": version}
    if action == "assign":
        return commands.AssignIssue(assignee=data["assignee"], **common)
    if action == "triage":
        return commands.TriageIssue(category=data["category"], priority=data["priority"], **common)
    if action == "await_reporter":
        return commands.AwaitReporter(comment=data["comment"], **common)
    if action == "close":
        return commands.CloseIssue(**common)
    if action == "tag":
        return commands.TagIssue(add=typed_tags(data["tags"]), **common)
    return commands.MarkIssueAsResolved(resolution=data["resolution"], **common)


def _mails(action: str, issues: list[IssueSummary], data: dict, me: str) -> tuple[int, int]:
    """How many mails the action sends, to how many people: the domain's rules of who hears
    of what (issues_domain.audience), asked of each issue the lifecycle lets it change."""
    can = [i for i in issues if Action(action) in allowed_actions(i.status, i.assignee)]
    watchers = issue_queries().watchers_of([issue.id for issue in can])
    recipients = [
        recipient
        for issue in can
        for recipient in audience.foreseen(
            Action(action),
            Actor.staff(me),
            reporter_email=issue.reporter_email,
            watchers=watchers.get(issue.id, ()),
            assignee=issue.assignee,
            new_assignee_name=data.get("assignee"),
        )
    ]
    people = {(r.email or r.username).casefold() for r in recipients}
    return len(recipients), len(people)


def _refused_before_any(request, error: InvalidInput):
    """The typed text is wrong for every issue alike: say so once, change nothing, and keep
    what was typed on the queue page to copy (web/queue.html's kept text)."""
    messages.error(request, explanation(error))
    kept_forms.keep_bulk_text(request, request.POST)
    return redirect(_safe_next(request))


def _refusal(form: forms.BulkForm) -> str:
    """The form's own words for what is missing (a triage without a category, say), once."""
    if "action" in form.errors:
        return _("Choose a bulk action.")
    return " ".join(message for errors in form.errors.values() for message in errors)


def _safe_next(request) -> str:
    target = request.POST.get("next") or reverse("staff_queue")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return reverse("staff_queue")
    return target


def _ticked(request) -> list[uuid.UUID]:
    ids = []
    for value in request.POST.getlist("issues"):
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    return list(dict.fromkeys(ids))[:TICKED_LIMIT]


def _chosen_issues(request, data: dict) -> tuple[list[IssueSummary], dict]:
    """The issues to act on, and for ticked ones the versions the page showed."""
    if data["all_matching"]:
        params = QueryDict(data["filter"] or "")
        filters, _chosen = filters_from(params, request.user.get_username())
        return issue_queries().matching(filters, BULK_LIMIT), {}
    ids = _ticked(request)
    versions = {}
    for issue_id in ids:
        text = request.POST.get(f"version:{issue_id}", "")
        versions[issue_id] = int(text) if text.isdigit() else None
    return issue_queries().summaries(ids), versions


@require_POST
@staff_required
def bulk(request):
    form = forms.BulkForm(
        request.POST, staff=selectors.active_staff(), categories=selectors.active_categories()
    )
    if not form.is_valid():
        messages.error(request, _refusal(form))
        kept_forms.keep_bulk_text(request, request.POST)
        return redirect(_safe_next(request))
    data, action = form.cleaned_data, form.cleaned_data["action"]
    if action == "tag" and not typed_tags(data["tags"]):
        messages.error(request, _("Type at least one tag to add."))
        return redirect(_safe_next(request))
    try:
        _check_typed_text(action, data)
    except InvalidInput as error:
        return _refused_before_any(request, error)
    issues, versions = _chosen_issues(request, data)
    if not issues:
        messages.error(request, _("Choose at least one issue for a bulk action."))
        return redirect(_safe_next(request))
    me = request.user.get_username()
    mails, people = _mails(action, issues, data, me)
    if mails and not data["confirmed"]:
        fields = [(k, v) for k, values in request.POST.lists() for v in values]
        fields = [(k, v) for k, v in fields if k not in ("csrfmiddlewaretoken", "confirmed")]
        context = {
            "fields": fields,
            "issue_count": len(issues),
            "mails": mails,
            "people": people,
            "action_label": dict(forms.BULK_ACTIONS)[action],
            "cancel_url": _safe_next(request),
        }
        return render(request, "web/bulk_confirm.html", context)
    changed, refused = 0, []
    actor = Actor.staff(me)
    for issue in issues:
        try:
            message_bus().handle(_command(action, issue, actor, data, versions.get(issue.id)))
        except StaleVersion:
            meanwhile = _("somebody else changed it meanwhile")
            refused.append(f"{issue.reference} ({meanwhile})")
        except (InvalidInput, CommandRefused, IssueNotFound) as error:
            refused.append(f"{issue.reference} ({explanation(error)})")
        else:
            changed += 1
    summary = _done(action, changed)
    if refused:
        summary += ", " + ngettext(
            "%(n)d not changed: %(which)s", "%(n)d not changed: %(which)s", len(refused)
        ) % {"n": len(refused), "which": "; ".join(refused)}
        messages.warning(request, summary + ".")
        kept_forms.keep_bulk_text(request, request.POST)
    else:
        messages.success(request, summary + ".")
    return redirect(_safe_next(request))
