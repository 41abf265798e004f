"""The staff pages: the queue, one issue with a form per allowed command, bulk actions.

A view builds a command, hands it to the message bus and maps the outcome to a page: success
redirects with a message; invalid input, a refusal or a stale version re-renders the page with
what the user typed and the domain's own explanation, and changes nothing.
"""

import functools
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from issues_adapters.attachments.uploads import discarded_unless_kept, limit_uploads, uploaded
from issues_adapters.persistence.queries import InvalidCursor
from issues_adapters.web import counts, forms, kept_forms, selectors
from issues_adapters.web.presentation import OPEN_STATUSES, staff_actions, timeline
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain import commands
from issues_domain.errors import CommandRefused, InvalidInput, IssueNotFound, StaleVersion
from issues_domain.values import Actor, Priority
from issues_service.queries import DEFAULT_ORDERING, QUEUE_ORDERINGS, QueueFilters


def staff_required(view):
    """Anonymous visitors go to the login page; signed-in people who are not staff get 403."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied("Only helpdesk staff can see this page.")
        return view(request, *args, **kwargs)

    return wrapped


# -- the queue --------------------------------------------------------------------------------

VIEWS = {
    # name: (label, status filter, assignee filter; "me" is the signed-in user)
    "open": ("All open", ",".join(OPEN_STATUSES), None),
    "unassigned": ("Unassigned", ",".join(OPEN_STATUSES), "none"),
    "mine": ("Mine", ",".join(OPEN_STATUSES), "me"),
    "resolved": ("Resolved", "resolved", None),
    "closed": ("Closed", "closed", None),
    "all": ("Everything", None, None),
}
NOT_SET = "none"  # the priority filter's value for issues nobody has given a priority yet
PRIORITY_VIEWS = [*((p.value, p.value.capitalize()) for p in Priority), (NOT_SET, "Not set")]
STATUS_CHOICES = ["reported", "triaged", "assigned", "resolved", "closed"]
FILTER_PARAMS = ("view", "status", "category", "priority", "assignee", "q", "sort")


def _param(request, name: str) -> str:
    return (request.GET.get(name) or "").strip()[:200]


def queue_filters(request) -> tuple[QueueFilters, dict]:
    """The queue's filters from the URL (so a view can be bookmarked), and what was chosen."""
    chosen = {name: _param(request, name) for name in FILTER_PARAMS}
    view = chosen["view"] if chosen["view"] in VIEWS else "open"
    chosen["view"] = view
    _label, status, assignee = VIEWS[view]
    if chosen["status"] in STATUS_CHOICES:
        status = chosen["status"]
    else:
        chosen["status"] = ""
    if chosen["assignee"]:
        assignee = chosen["assignee"]
    if assignee == "me":
        assignee = request.user.get_username()
    if chosen["priority"] not in {p.value for p in Priority} | {NOT_SET}:
        chosen["priority"] = ""
    sort = chosen["sort"] if chosen["sort"] in QUEUE_ORDERINGS else DEFAULT_ORDERING
    chosen["sort"] = sort
    filters = QueueFilters(
        status=status,
        category=chosen["category"] or None,
        priority=chosen["priority"] or None,
        assignee=assignee,
        q=chosen["q"] or None,
        ordering=sort,
        cursor=_param(request, "cursor") or None,
        page_size=25,
    )
    return filters, chosen


def _query_string(chosen: dict, **changes) -> str:
    params = {k: v for k, v in ({**chosen, **changes}).items() if v and k != "cursor"}
    if params.get("view") == "open":
        params.pop("view")
    if params.get("sort") == DEFAULT_ORDERING:
        params.pop("sort")
    if changes.get("cursor"):
        params["cursor"] = changes["cursor"]
    return "?" + urlencode(params) if params else "?"


SORTABLE = {
    # column: (ordering on the first click, the reverse on the next)
    "reference": ("reference", "-reference"),
    "reported": ("-reported_at", "reported_at"),
    "updated": ("-updated_at", "updated_at"),
    "priority": ("-priority", "priority"),
}


def _sort_links(chosen: dict) -> dict:
    links = {}
    for column, (first, then) in SORTABLE.items():
        current = chosen["sort"] in (first, then)
        target = then if chosen["sort"] == first else first
        links[column] = {
            "url": _query_string(chosen, sort=target),
            "current": current,
            "descending": chosen["sort"].startswith("-") if current else None,
        }
    return links


@require_GET
@staff_required
def queue(request):
    filters, chosen = queue_filters(request)
    try:
        page = issue_queries().queue(filters)
    except InvalidCursor as error:
        messages.error(request, str(error))
        return redirect(reverse("staff_queue") + _query_string(chosen))
    categories = selectors.active_categories()
    staff = selectors.active_staff()
    username = request.user.get_username()
    sidebar = counts.sidebar(username)
    context = {
        "page": page,
        "chosen": chosen,
        "view_label": VIEWS[chosen["view"]][0],
        "views": [(name, label) for name, (label, _s, _a) in VIEWS.items()],
        "sidebar": sidebar,
        "category_counts": [
            (slug, name, sidebar["category"].get(slug, 0)) for slug, name in categories
        ],
        "priority_counts": [
            (value, label, sidebar["priority"].get(value, 0)) for value, label in PRIORITY_VIEWS
        ],
        "categories": categories,
        "category_names": dict(categories),
        "staff": staff,
        "statuses": STATUS_CHOICES,
        "priorities": PRIORITY_VIEWS,
        "orderings": QUEUE_ORDERINGS,
        "sort_links": _sort_links(chosen),
        "next_url": _query_string(chosen, cursor=page.next_cursor) if page.next_cursor else "",
        "previous_url": _query_string(chosen, cursor=page.previous_cursor)
        if page.previous_cursor
        else "",
        "here": request.get_full_path(),
        "bulk_form": forms.BulkForm(staff=staff, categories=categories),
        "query_string": _query_string(chosen),
    }
    return render(request, "web/queue.html", context)


# -- one issue --------------------------------------------------------------------------------


def _actor(request) -> Actor:
    return Actor.staff(request.user.get_username())


ACTIONS = {
    "triage": (
        forms.TriageForm,
        "Triaged.",
        lambda request, issue_id, data: commands.TriageIssue(
            issue_id=issue_id,
            category=data["category"],
            priority=data["priority"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "assign": (
        forms.AssignForm,
        "Assigned.",
        lambda request, issue_id, data: commands.AssignIssue(
            issue_id=issue_id,
            assignee=data["assignee"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "pick": (
        forms.PickForm,
        "You picked this issue: it is yours now.",
        lambda request, issue_id, data: commands.PickIssue(
            issue_id=issue_id,
            engineer=request.user.get_username(),
            expected_version=data["expected_version"],
        ),
    ),
    "comment": (
        forms.CommentForm,
        "Comment added.",
        lambda request, issue_id, data: commands.CommentOnIssue(
            issue_id=issue_id,
            author=_actor(request),
            body=data["body"],
            visibility=data["visibility"],
            attachments=data.get("attachments", ()),
            expected_version=data["expected_version"],
        ),
    ),
    "add-watcher": (
        forms.WatcherForm,
        _("Watcher added."),
        lambda request, issue_id, data: commands.AddWatcher(
            issue_id=issue_id,
            email=data["email"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "remove-watcher": (
        forms.WatcherForm,
        _("Watcher removed."),
        lambda request, issue_id, data: commands.RemoveWatcher(
            issue_id=issue_id,
            email=data["email"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "resolve": (
        forms.ResolveForm,
        "Resolved.",
        lambda request, issue_id, data: commands.MarkIssueAsResolved(
            issue_id=issue_id,
            resolution=data["resolution"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "reopen": (
        forms.ReopenForm,
        "Reopened.",
        lambda request, issue_id, data: commands.ReopenIssue(
            issue_id=issue_id,
            reason=data["reason"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "close": (
        forms.CloseForm,
        "Closed.",
        lambda request, issue_id, data: commands.CloseIssue(
            issue_id=issue_id, actor=_actor(request), expected_version=data["expected_version"]
        ),
    ),
}


def _form_kwargs(action: str, categories, staff) -> dict:
    if action == "triage":
        return {"categories": categories}
    if action == "assign":
        return {"staff": staff}
    return {}


def _render_issue(request, issue_id):
    """The issue page, with a refused form as it was sent when the address names one."""
    issue = issue_queries().issue(issue_id)
    if issue is None:
        raise Http404("There is no such issue.")
    history = issue_queries().history(issue_id)
    categories = selectors.active_categories()
    names = selectors.category_names()
    staff = selectors.active_staff()
    action_forms = {}
    for action in staff_actions(issue):
        form_class = ACTIONS[action][0]
        initial = {"expected_version": issue.version}
        if action == "triage":
            initial |= {"category": issue.category, "priority": issue.priority or "normal"}
        if action == "assign":
            initial |= {"assignee": issue.assignee or request.user.get_username()}
        action_forms[action] = form_class(
            initial=initial, **_form_kwargs(action, categories, staff)
        )
    refused = kept_forms.kept(request, issue_id)
    if refused is not None and refused["action"] in ACTIONS:
        action = refused["action"]
        form = ACTIONS[action][0](refused["data"], **_form_kwargs(action, categories, staff))
        form.is_valid()
        if refused["errors"]:
            form.add_domain_errors(InvalidInput(refused["errors"]))
        action_forms[action] = form
    context = {
        "issue": issue,
        "report_attachments": issue.attachments_of(None),
        "files_base": reverse("staff_queue"),
        "watcher_form": forms.WatcherForm(initial={"expected_version": issue.version}),
        "category_name": names.get(issue.category, issue.category) if issue.category else "",
        "timeline": timeline(history, names),
        "forms": action_forms,
        "bound_action": refused["action"] if refused else "",
        "alert": refused["alert"] if refused else "",
        "stale": refused["stale"] if refused else None,
        "me": request.user.get_username(),
    }
    return render(request, "web/issue.html", context)


@require_GET
@staff_required
def issue_page(request, issue_id):
    return _render_issue(request, issue_id)


def _refused(request, issue_id, action, data, **why):
    """Back to the issue page (a reload must not send the form again), keeping what was typed."""
    key = kept_forms.keep(request, issue_id, action, data, **why)
    url = reverse("staff_issue", kwargs={"issue_id": issue_id})
    # No #fragment: landing on one takes the focus away from the error that focus.js chose.
    return redirect(f"{url}?{urlencode({'kept': key})}")


# The actions whose form may carry files (templates/web/_attach_field.html).
ATTACHING = {"comment"}


@csrf_exempt  # checked below, once the upload limits are in place (they must come first)
@require_POST
def issue_action(request, issue_id, action):
    return _issue_action(request, issue_id, action, limit_uploads(request))


@staff_required
@csrf_protect
def _issue_action(request, issue_id, action, uploads):
    if action not in ACTIONS:
        raise Http404("No such action.")
    form_class, done, build = ACTIONS[action]
    categories = selectors.active_categories()
    staff = selectors.active_staff()
    form = form_class(request.POST, **_form_kwargs(action, categories, staff))
    if not form.is_valid():
        return _refused(request, issue_id, action, request.POST)
    try:
        attachments = uploaded(request, uploads) if action in ATTACHING else ()
        with discarded_unless_kept(attachments):
            command = build(request, issue_id, form.cleaned_data | {"attachments": attachments})
            message_bus().handle(command)
    except IssueNotFound:
        raise Http404("There is no such issue.") from None
    except StaleVersion:
        # Keep what the user typed, but against the current version, so that sending it again
        # after a look at the changes is a deliberate second click.
        change = selectors.latest_change(issue_id) or {}
        kept = request.POST.copy()
        kept["expected_version"] = str(change.get("version", ""))
        stale = {"changed_by": change.get("changed_by", "Somebody")}
        return _refused(request, issue_id, action, kept, stale=stale)
    except InvalidInput as error:
        return _refused(request, issue_id, action, request.POST, errors=error.errors)
    except CommandRefused as error:
        return _refused(request, issue_id, action, request.POST, alert=error.detail)
    messages.success(request, done)
    return redirect("staff_issue", issue_id=issue_id)


@require_GET
@staff_required
def issue_version(request, issue_id):
    """What the collision notice polls: the current version and who changed it last."""
    change = selectors.latest_change(issue_id)
    if change is None:
        raise Http404("There is no such issue.")
    return JsonResponse(change, headers={"Cache-Control": "no-store"})


# -- bulk actions -----------------------------------------------------------------------------


def _bulk_command(request, action: str, issue_id, version, data):
    actor = _actor(request)
    if action == "assign":
        return commands.AssignIssue(
            issue_id=issue_id, assignee=data["assignee"], actor=actor, expected_version=version
        )
    if action == "triage":
        return commands.TriageIssue(
            issue_id=issue_id,
            category=data["category"],
            priority=data["priority"],
            actor=actor,
            expected_version=version,
        )
    return commands.MarkIssueAsResolved(
        issue_id=issue_id, resolution=data["resolution"], actor=actor, expected_version=version
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or reverse("staff_queue")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return reverse("staff_queue")
    return target


def _parse_ids(values) -> list[uuid.UUID]:
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    return ids


@require_POST
@staff_required
def bulk(request):
    """Each chosen issue gets its own command; the result is reported issue by issue."""
    form = forms.BulkForm(
        request.POST, staff=selectors.active_staff(), categories=selectors.active_categories()
    )
    issue_ids = _parse_ids(request.POST.getlist("issues"))[:100]
    if not issue_ids:
        messages.error(request, "Choose at least one issue for a bulk action.")
        return redirect(_safe_next(request))
    if not form.is_valid():
        messages.error(request, "Choose a bulk action.")
        return redirect(_safe_next(request))
    action = form.cleaned_data["action"]
    for issue_id in issue_ids:
        label = request.POST.get(f"reference:{issue_id}", "")[:20] or f"Issue {issue_id}"
        version_text = request.POST.get(f"version:{issue_id}", "")
        version = int(version_text) if version_text.isdigit() else None
        try:
            message_bus().handle(
                _bulk_command(request, action, issue_id, version, form.cleaned_data)
            )
        except StaleVersion:
            messages.error(request, f"{label}: not changed; somebody else changed it meanwhile.")
        except (InvalidInput, CommandRefused, IssueNotFound) as error:
            messages.error(request, f"{label}: not changed. {error.detail}")
        else:
            messages.success(request, f"{label}: done.")
    return redirect(_safe_next(request))
