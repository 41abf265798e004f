"""The issue page's tags, links and merge: each form builds one command for the bus.

A refusal goes back to the issue page through staff._refused, keeping what was typed and
the domain's reason; the panels (jinja_templates/web/_tags_panel.html and its neighbours) show it.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from issues_adapters.web.panels import typed_tags
from issues_adapters.web.views.staff import _actor, _refused, staff_required
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.errors import CommandRefused, InvalidInput, IssueNotFound, StaleVersion


def _version(request) -> int | None:
    text = request.POST.get("expected_version", "")
    return int(text) if text.isdigit() else None


def _handle(request, issue_id, action: str, command, done: str):
    try:
        message_bus().handle(command)
    except (StaleVersion, IssueNotFound, InvalidInput, CommandRefused) as error:
        return _refused(request, issue_id, action, request.POST, error=error)
    messages.success(request, done)
    return redirect("staff_issue", issue_id=issue_id)


@require_POST
@staff_required
def tags(request, issue_id):
    command = commands.TagIssue(
        issue_id=issue_id,
        add=typed_tags(request.POST.get("add", "")),
        remove=tuple(request.POST.getlist("remove")),
        actor=_actor(request),
        expected_version=_version(request),
    )
    return _handle(request, issue_id, "tags", command, _("Tags saved."))


@require_POST
@staff_required
def link(request, issue_id):
    command = commands.LinkIssues(
        issue_id=issue_id,
        other=request.POST.get("other", "").strip(),
        actor=_actor(request),
        expected_version=_version(request),
    )
    return _handle(request, issue_id, "link", command, _("Linked."))


@require_POST
@staff_required
def unlink(request, issue_id, other):
    command = commands.UnlinkIssues(
        issue_id=issue_id, other=str(other), actor=_actor(request), expected_version=None
    )
    return _handle(request, issue_id, "unlink", command, _("Unlinked."))


@require_POST
@staff_required
def merge(request, issue_id):
    command = commands.MergeIssue(
        issue_id=issue_id,
        into=request.POST.get("into", "").strip(),
        actor=_actor(request),
        expected_version=_version(request),
    )
    return _handle(
        request, issue_id, "merge", command, _("Merged: this issue is closed as a duplicate.")
    )
