"""The staff pages: the queue, one issue with a form per allowed command, bulk actions.

A view builds a command, hands it to the message bus and maps the outcome to a page: success
redirects with a message; invalid input, a refusal or a stale version re-renders the page with
what the user typed and the domain's own explanation, and changes nothing.
"""

import functools
import re
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from issues_adapters.accounts import sessions
from issues_adapters.attachments.uploads import (
    discarded_unless_kept,
    limit_uploads,
    names_sent,
    uploaded,
)
from issues_adapters.persistence.models import NOT_SET
from issues_adapters.persistence.queries import InvalidCursor
from issues_adapters.reports.ratings import ratings_of
from issues_adapters.sla import display as sla_display
from issues_adapters.texts import translated, translated_errors
from issues_adapters.web import (
    counts,
    form_html,
    forms,
    kept_forms,
    presence,
    reference_data,
    selectors,
)
from issues_adapters.web.labels import ORDERING_LABELS, PRIORITY_LABELS
from issues_adapters.web.panels import panels as organising_panels
from issues_adapters.web.presentation import (
    change_phrase,
    kept_text,
    looking_text,
    resolution_files,
    staff_actions,
    timeline,
)
from issues_adapters.web.queue_rows import rows_html
from issues_adapters.web.timeline_html import timeline_html
from issues_adapters.web.views import as_of
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain import commands
from issues_domain.errors import (
    CommandRefused,
    DomainError,
    InvalidInput,
    IssueNotFound,
    StaleVersion,
)
from issues_domain.lifecycle import OPEN_STATUSES, Action, may_be_rated
from issues_domain.values import Actor, IssueStatus, Priority
from issues_service.queries import DEFAULT_ORDERING, QUEUE_ORDERINGS, QueueFilters


def staff_required(view):
    """Anonymous visitors go to the login page; signed-in people who are not staff get 403."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(_back_after_login(request))
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied(_("Only helpdesk staff can see this page."))
        return view(request, *args, **kwargs)

    return wrapped


def _back_after_login(request) -> str:
    """Where the login page sends the browser back to. A form's address takes only POST, so
    after a form (the session ended while the page was open) it is the page the form was on:
    the issue's page, else the page of the Referer, else the queue. What an issue page's form
    held is kept for the staff member whose session it was (_keep_for_author); whoever else
    signs in next in this browser does not find it in their form (a shared desk)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    )
    match = request.resolver_match
    issue_id = match.kwargs.get("issue_id") if match else None
    if issue_id is None:
        messages.warning(request, _("You were signed out, so nothing was saved."))
        if not same_site:
            return reverse("staff_queue")
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    url = reverse("staff_issue", kwargs={"issue_id": issue_id})
    # Only a form sent from our own page is kept: another site's must not fill in ours.
    key = _keep_for_author(request, issue_id, match) if same_site else None
    if key is None:
        messages.warning(request, _("You were signed out, so nothing was saved."))
        return url
    messages.warning(
        request,
        _(
            "You were signed out, so nothing was saved. What you typed is kept and will be "
            "back in the form after you sign in."
        ),
    )
    return f"{url}?{urlencode({'kept': key})}"


# What an issue page's form sent after the session ended keeps for its author: the text typed
# (first) and the choices that say what it is; never a file, a password or the CSRF token.
SIGNED_OUT_DRAFTS = {
    "reply": ("body", "visibility", "follow_up", "expected_version"),
    "comment": ("body", "visibility", "expected_version"),
    "resolve": ("resolution", "expected_version"),
    "reopen": ("reason", "expected_version"),
    "add-watcher": ("email", "expected_version"),
    "tags": ("add", "remove", "expected_version"),
    "link": ("other", "expected_version"),
    "merge": ("into", "expected_version"),
}


def _keep_for_author(request, issue_id, match) -> str | None:
    """Keeps what the form held for the staff member whose session just ended, when there is
    text and it is known whose it is; the kept form's key, or None."""
    action = match.kwargs.get("action") or match.url_name.removeprefix("staff_issue_")
    fields = SIGNED_OUT_DRAFTS.get(action)
    if not fields or not request.POST.get(fields[0], "").strip():
        return None
    author = kept_forms.author_kept_for(request)
    if author is None:
        staff_member = sessions.staff_member_of_ended_session(request)
        author = staff_member.pk if staff_member else None
    if author is None:
        return None
    draft = MultiValueDict(
        {name: request.POST.getlist(name) for name in fields if name in request.POST}
    )
    if request.FILES:
        alert = _(
            "you were signed out before it was sent. What you typed is back in the form; "
            "attach the files again and send it."
        )
    else:
        alert = _(
            "you were signed out before it was sent. What you typed is back in the form; "
            "send it again."
        )
    files = names_sent(request)
    return kept_forms.keep_for_author(request, issue_id, action, draft, author, alert, files)


# -- the queue --------------------------------------------------------------------------------

BULK_LIMIT = 500  # at most this many issues in one bulk action over "all matching"

OPEN = ",".join(OPEN_STATUSES)
VIEWS = {
    # name: (label, status filter, assignee filter; "me" is the signed-in user)
    "open": (gettext_lazy("All open"), OPEN, None),
    "unassigned": (gettext_lazy("Unassigned"), OPEN, "none"),
    "mine": (gettext_lazy("Mine"), OPEN, "me"),
    "waiting": (gettext_lazy("Waiting on reporter"), IssueStatus.WAITING.value, None),
    "resolved": (gettext_lazy("Resolved"), "resolved", None),
    "closed": (gettext_lazy("Closed"), "closed", None),
    "all": (gettext_lazy("Everything"), None, None),
    # SLA views (issues_adapters/sla/display.py): open issues by their flagged deadlines.
    "breaching_soon": (gettext_lazy("Breaching soon"), OPEN, None),
    "overdue": (gettext_lazy("Overdue"), OPEN, None),
}
PRIORITY_VIEWS = [*PRIORITY_LABELS.items(), (NOT_SET, gettext_lazy("Not set"))]
STATUS_CHOICES = [status.value for status in IssueStatus]
FILTER_PARAMS = ("view", "status", "category", "priority", "assignee", "q", "tag", "sort")


def _param(params, name: str) -> str:
    return (params.get(name) or "").strip()[:200]


def queue_filters(request) -> tuple[QueueFilters, dict]:
    """The queue's filters from the URL (so a view can be bookmarked), and what was chosen."""
    return filters_from(request.GET, request.user.get_username())


def filters_from(params, username: str) -> tuple[QueueFilters, dict]:
    chosen = {name: _param(params, name) for name in FILTER_PARAMS}
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
        assignee = username
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
        tag=chosen["tag"] or None,
        sla=view if view in sla_display.SLA_VIEWS else None,
        ordering=sort,
        cursor=_param(params, "cursor") or None,
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
    # Soonest deadline first, one way only: no reverse ordering reads the deadlines in order.
    "sla": ("sla_due_at", None),
}


COLUMNS = [
    # the queue table's columns after the checkbox: (name, heading)
    ("reference", gettext_lazy("Reference")),
    ("subject", gettext_lazy("Subject")),
    ("reporter", gettext_lazy("Reporter")),
    ("status", gettext_lazy("Status")),
    ("priority", gettext_lazy("Priority")),
    ("category", gettext_lazy("Category")),
    ("assignee", gettext_lazy("Assignee")),
    ("reported", gettext_lazy("Reported")),
    ("updated", gettext_lazy("Updated")),
    ("sla", gettext_lazy("Due")),
]


def _columns(chosen: dict) -> list[dict]:
    """Each column's heading, and for a sortable one the link that sorts by it."""
    columns = []
    for name, label in COLUMNS:
        column = {"name": name, "label": label}
        if name in SORTABLE:
            first, then = SORTABLE[name]
            current = chosen["sort"] in (first, then)
            column.update(
                url=_query_string(chosen, sort=then if then and chosen["sort"] == first else first),
                current=current,
                descending=chosen["sort"].startswith("-") if current else None,
                one_way=then is None,
                title=ORDERING_LABELS[first] if then is None else "",
            )
        columns.append(column)
    return columns


@functools.lru_cache(maxsize=32)
def _bulk_fields(language: str, staff: tuple, categories: tuple) -> str:
    """The bulk panel's fields, the same on every page until staff or categories change: kept
    rendered (a form's widgets cost a fifth of the page's CPU; bench/queue_page.py)."""
    form = forms.BulkForm(staff=staff, categories=categories)
    return render_to_string("web/_bulk_fields.html", {"bulk_form": form})


# Speed trick (bench/pages_profile.py, "queue, fragments rendered anew"): the side bar, the
# filters and the column headings were most of the template's work. Each is kept rendered by
# everything it shows (language, choices, counts, categories, staff: read on every request), so
# a change is a new key, never a stale fragment, in each gunicorn worker alike.
@functools.lru_cache(maxsize=256)
def _side_bar(language: str, chosen: tuple, counts: tuple, categories: tuple, tags: tuple) -> str:
    counts = dict(counts)
    return render_to_string(
        "web/_queue_side_bar.html",
        {
            "chosen": dict(chosen),
            "sidebar": counts,
            "sla_counts": counts,
            "category_counts": [
                *categories,
                (NOT_SET, _("Not set"), counts.get(f"category:{NOT_SET}", 0)),
            ],
            "priority_counts": [
                (value, label, counts.get(f"priority:{value}", 0))
                for value, label in PRIORITY_VIEWS
            ],
            "tag_counts": tags,
        },
    )


@functools.lru_cache(maxsize=256)
def _filters(language: str, chosen: tuple, categories: tuple, staff: tuple, queue_url: str) -> str:
    return render_to_string(
        "web/_queue_filters.html",
        {
            "chosen": dict(chosen),
            "categories": [*categories, (NOT_SET, _("Not set"))],
            "staff": staff,
            "statuses": STATUS_CHOICES,
            "priorities": PRIORITY_VIEWS,
            "orderings": {
                key: ORDERING_LABELS.get(key, label) for key, label in QUEUE_ORDERINGS.items()
            },
            "queue_url": queue_url,
        },
    )


_FILTERS_SHOW = ("view", "status", "category", "priority", "assignee", "sort")


@functools.lru_cache(maxsize=256)
def _headings(language: str, chosen: tuple) -> str:
    return render_to_string("web/_queue_headings.html", {"columns": _columns(dict(chosen))})


@functools.lru_cache(maxsize=32)
def _shortcuts_help(language: str) -> str:
    return render_to_string("web/_shortcuts_help.html")


@functools.lru_cache(maxsize=32)
def _staff_nav(language: str) -> str:
    return render_to_string("_staff_nav.html")


KEPT_FRAGMENTS = (
    "_side_bar",
    "_filters",
    "_headings",
    "_shortcuts_help",
    "_staff_nav",
)  # for the bench


def _side_bar_of(chosen: dict, sidebar: dict, categories: list) -> str:
    counts = [
        *((name, n) for name, n in sidebar.items() if isinstance(n, int)),
        *sidebar["sla"].items(),
        *((f"priority:{value}", n) for value, n in sidebar["priority"].items()),
        (f"category:{NOT_SET}", sidebar["category"].get(NOT_SET, 0)),
    ]
    return _side_bar(
        get_language(),
        tuple((name, chosen[name]) for name in ("view", "category", "priority", "tag")),
        tuple(sorted(counts)),
        tuple((slug, name, sidebar["category"].get(slug, 0)) for slug, name in categories),
        tuple(sorted(sidebar["tag"].items())),
    )


@require_GET
@staff_required
def queue(request):
    filters, chosen = queue_filters(request)
    try:
        page = issue_queries().queue(filters)
    except InvalidCursor as error:
        messages.error(request, str(error))
        return redirect(reverse("staff_queue") + _query_string(chosen))
    reference = reference_data.current()
    categories, staff = reference.categories, reference.staff
    username = request.user.get_username()
    searching = bool(filters.q and filters.q.strip())
    spans_pages = bool(page.next_cursor or page.previous_cursor)
    matching = issue_queries().count_matching(filters, BULK_LIMIT + 1)
    sidebar = counts.sidebar(username)
    category_names = reference.category_names  # an issue's category may since be inactive
    chosen_items = tuple(chosen.items())
    rated = [issue.id for issue in page.issues if may_be_rated(issue.status)]
    language = get_language()
    context = {
        "rows": rows_html(
            page.issues,
            category_names=category_names,
            badges=sla_display.badges_for(issue.id for issue in page.issues),
            # An open view's page has no issue that may hold a rating: it reads none.
            ratings=ratings_of(rated) if rated else {},
        ),
        "page": page,
        "chosen": chosen,
        "view_label": VIEWS[chosen["view"]][0],
        "side_bar": _side_bar_of(chosen, sidebar, categories),
        "filters": _filters(
            language,
            tuple((name, chosen[name]) for name in _FILTERS_SHOW),
            tuple(categories),
            tuple(staff),
            reverse("staff_queue"),
        ),
        "headings": _headings(language, chosen_items),
        "shortcuts_help": _shortcuts_help(language),
        "staff_nav": _staff_nav(language),
        "next_url": _query_string(chosen, cursor=page.next_cursor) if page.next_cursor else "",
        "previous_url": _query_string(chosen, cursor=page.previous_cursor)
        if page.previous_cursor
        else "",
        "here": request.get_full_path(),
        "bulk_fields": _bulk_fields(language, tuple(staff), tuple(categories)),
        "kept_bulk_text": kept_forms.kept_bulk_text(request),
        "bulk_filter": urlencode({k: v for k, v in chosen.items() if v}),
        # Offered when the filter spans pages; a capped count, never COUNT(*) of everything
        # (asked on every page, so that a page costs the same number of queries). Issues
        # that are not counted (a search's, or an SLA view's narrowed by another filter;
        # count_matching says why): bulk.py takes the first ones.
        "matching_count": matching if spans_pages and matching else 0,
        "matching_uncounted": spans_pages and matching is None,
        "searching": searching,
        "bulk_limit": BULK_LIMIT,
        "query_string": _query_string(chosen),
        "query_string_without_tag": _query_string(chosen, tag=""),
    }
    return render(request, "web/queue.html", context)


# -- one issue --------------------------------------------------------------------------------


def _actor(request) -> Actor:
    return Actor.staff(request.user.get_username())


ACTIONS = {
    "triage": (
        forms.TriageForm,
        gettext_lazy("Triaged."),
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
        gettext_lazy("Assigned."),
        lambda request, issue_id, data: commands.AssignIssue(
            issue_id=issue_id,
            assignee=data["assignee"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "pick": (
        forms.PickForm,
        gettext_lazy("You picked this issue: it is yours now."),
        lambda request, issue_id, data: commands.PickIssue(
            issue_id=issue_id,
            engineer=request.user.get_username(),
            expected_version=data["expected_version"],
        ),
    ),
    "reply": (
        forms.ComposerForm,
        gettext_lazy("Sent."),
        lambda request, issue_id, data: commands.ReplyToIssue(
            issue_id=issue_id,
            author=_actor(request),
            body=data["body"],
            visibility=data["visibility"],
            follow_up=data["follow_up"],
            attachments=data.get("attachments", ()),
            expected_version=data["expected_version"],
        ),
    ),
    "comment": (
        forms.CommentForm,
        gettext_lazy("Comment added."),
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
        gettext_lazy("Watcher added."),
        lambda request, issue_id, data: commands.AddWatcher(
            issue_id=issue_id,
            email=data["email"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "remove-watcher": (
        forms.WatcherForm,
        gettext_lazy("Watcher removed."),
        lambda request, issue_id, data: commands.RemoveWatcher(
            issue_id=issue_id,
            email=data["email"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "resolve": (
        forms.ResolveForm,
        gettext_lazy("Resolved."),
        lambda request, issue_id, data: commands.MarkIssueAsResolved(
            issue_id=issue_id,
            resolution=data["resolution"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "reopen": (
        forms.ReopenForm,
        gettext_lazy("Reopened."),
        lambda request, issue_id, data: commands.ReopenIssue(
            issue_id=issue_id,
            reason=data["reason"],
            actor=_actor(request),
            expected_version=data["expected_version"],
        ),
    ),
    "close": (
        forms.CloseForm,
        gettext_lazy("Closed."),
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


REPLY_DONE = {
    "await_reporter": gettext_lazy("Sent; the issue waits for the reporter's answer."),
    "resolve": gettext_lazy("Sent and resolved."),
}
# The side panel's forms; replying, waiting and resolving are the composer's.
SIDE_PANEL = (Action.PICK, Action.ASSIGN, Action.TRIAGE, Action.REOPEN, Action.CLOSE)
# A refused form of these actions comes back as the composer, holding what was typed.
COMPOSER_ACTIONS = {"reply": "body", "comment": "body", "resolve": "resolution"}


def _page_forms(request, issue, allowed, categories, staff) -> dict:
    """The page's unbound forms, by action, as the HTML of their fields (form_html.py)."""
    action_forms = {}
    for action in SIDE_PANEL:
        if action not in allowed:
            continue
        initial = {"expected_version": issue.version}
        if action == Action.TRIAGE:
            initial |= {"category": issue.category, "priority": issue.priority or "normal"}
        if action == Action.ASSIGN:
            initial |= {"assignee": issue.assignee or request.user.get_username()}
        action_forms[action.value] = form_html.unbound_fields_html(
            ACTIONS[action][0], initial, **_form_kwargs(action, categories, staff)
        )
    if Action.COMMENT in allowed:
        action_forms["reply"] = form_html.unbound_fields_html(
            forms.ComposerForm, {"expected_version": issue.version}
        )
    if Action.WATCH in allowed:
        action_forms["add-watcher"] = form_html.unbound_fields_html(
            forms.WatcherForm, {"expected_version": issue.version}
        )
    return action_forms


def _kept_form(refused, action_forms, categories, staff):
    """The refused form as it was sent, if the issue still allows it; else None."""
    action, data = refused["action"], refused["data"]
    if action in COMPOSER_ACTIONS and "reply" in action_forms:
        data = data.copy()
        data.setdefault("body", data.get(COMPOSER_ACTIONS[action], ""))
        data.setdefault("follow_up", "resolve" if action == "resolve" else "send")
        action = "reply"
    if action not in action_forms:
        return None
    form = ACTIONS[action][0](data, **_form_kwargs(action, categories, staff))
    form.is_valid()
    if refused["errors"]:
        form.add_domain_errors(InvalidInput(refused["errors"]))
    action_forms[action] = form_html.fields_html(form)
    return action


def _render_issue(request, issue_id):
    """The issue page, with a refused form as it was sent when the address names one.

    Only what the lifecycle allows now is offered, also after a refusal: a refused form that
    the issue no longer allows comes back as its text, to copy, not as a form to send."""
    # The page shows the conversation from the history (the timeline), not the comments.
    issue = issue_queries().issue(issue_id, with_comments=False, with_sla=False)
    if issue is None:
        raise Http404("There is no such issue.")
    history = issue_queries().history(issue_id)
    # The SLA panel as the issue's events set the clocks: right after an action, the clocks
    # read model has not taken its events yet.
    issue = sla_display.with_sla_of(issue, history, timezone.now())
    reference = reference_data.current()
    categories, names, staff = reference.categories, reference.category_names, reference.staff
    allowed = staff_actions(issue)
    action_forms = _page_forms(request, issue, allowed, categories, staff)
    refused = kept_forms.kept(request, issue_id)
    bound, kept = "", ""
    if refused is not None and refused["action"] in ACTIONS:
        bound = _kept_form(refused, action_forms, categories, staff) or ""
        if not bound:
            kept = kept_text(refused["data"])
    files_base = reverse("staff_queue")
    context = {
        "issue": issue,
        "report_attachments": issue.attachments_of(None),
        "files_base": files_base,
        "watcher_form": action_forms.get("add-watcher", ""),
        "can_watch": Action.WATCH in allowed,
        "may_be_rated": may_be_rated(issue.status),
        "category_name": names.get(issue.category, issue.category) if issue.category else "",
        "timeline_html": timeline_html(timeline(history, names), files_base),
        "resolution_attachments": resolution_files(history),
        "forms": action_forms,
        "can_await": Action.AWAIT_REPORTER in allowed,
        "can_resolve": Action.RESOLVE in allowed,
        "kept_text": kept,
        "bound_action": bound,
        "alert": refused["alert"] if refused else "",
        "stale": refused["stale"] if refused else None,
        "unsent_files": refused.get("files", []) if refused else [],
        "me": request.user.get_username(),
        "sent_draft": _saved_draft_shown(request, issue_id),
        # Kept per language, as on the queue page (_staff_nav and _shortcuts_help above).
        "staff_nav": _staff_nav(get_language()),
        "shortcuts_help": _shortcuts_help(get_language()),
        "looking": looking_text(presence.look(issue_id, request.user.get_username())),
        **organising_panels(request, issue, refused, reference.canned_replies),
    }
    return render(request, "web/issue.html", context)


@require_GET
@staff_required
def issue_page(request, issue_id):
    if "as_of" in request.GET:
        return as_of.issue_as_of(request, issue_id)
    return _render_issue(request, issue_id)


def _refused(request, issue_id, action, data, *, error: DomainError | None = None):
    """Back to the issue page (a reload must not send the form again), keeping what was typed
    and the domain's reason, translated here: the session keeps plain text, not the domain's
    `Text`, so a reason kept untranslated stayed English."""
    why = {}
    if isinstance(error, StaleVersion):
        data, why["stale"] = _stale(issue_id, data)
    elif isinstance(error, InvalidInput):
        why["errors"] = translated_errors(error.errors)
    elif error is not None:
        why["alert"] = translated(error.detail)
    key = kept_forms.keep(request, issue_id, action, data, files=names_sent(request), **why)
    url = reverse("staff_issue", kwargs={"issue_id": issue_id})
    # No #fragment: landing on one takes the focus away from the error that focus.js chose.
    return redirect(f"{url}?{urlencode({'kept': key})}")


# What the tags, links and merge forms have typed into them (panels.py shows it again).
_TYPED_ORGANISING = ("add", "other", "into")


def _stale(issue_id, data):
    """What a form sent against an old version keeps: what was typed, but against the current
    version, so that sending it again after a look at the changes is a deliberate second click;
    and who made the latest change, for the notice."""
    change = selectors.latest_change(issue_id) or {}
    kept = data.copy()
    kept["expected_version"] = str(change.get("version", ""))
    # A pick or an assign has nothing typed to keep.
    typed = bool(kept_text(kept)) or any(kept.get(name) for name in _TYPED_ORGANISING)
    return kept, {"changed_by": change.get("changed_by", _("Somebody")), "typed": typed}


# The actions whose form may carry files (templates/web/_attach_field.html).
ATTACHING = {"comment", "reply"}


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
    reference = reference_data.current()
    categories, staff = reference.categories, reference.staff
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
    except (StaleVersion, InvalidInput, CommandRefused) as error:
        return _refused(request, issue_id, action, request.POST, error=error)
    messages.success(request, REPLY_DONE.get(form.cleaned_data.get("follow_up"), done))
    _saved_draft(request, issue_id, request.POST.get("draft", ""))
    return redirect("staff_issue", issue_id=issue_id)


# The composer's sends that were saved, by issue, until the issue's page next shows: there
# composer.js drops the draft of that send (data-sent-draft), and keeps any other, since a
# send refused before any view (CSRF), lost or failed has left no such word behind.
SAVED_DRAFTS = "composer_saved_drafts"
_DRAFT_NAME = re.compile(r"[0-9a-z]{1,40}")


def _saved_draft(request, issue_id, name: str) -> None:
    if not _DRAFT_NAME.fullmatch(name):
        return
    request.session[SAVED_DRAFTS] = request.session.get(SAVED_DRAFTS, {}) | {str(issue_id): name}


def _saved_draft_shown(request, issue_id) -> str:
    """The saved send's name, told once."""
    saved = request.session.get(SAVED_DRAFTS)
    if not saved or str(issue_id) not in saved:
        return ""
    name = saved.pop(str(issue_id))
    if saved:
        request.session[SAVED_DRAFTS] = saved
    else:
        del request.session[SAVED_DRAFTS]
    return name


@require_GET
@staff_required
def issue_version(request, issue_id):
    """What the issue page polls: the current version, what changed since the version the page
    shows (`?since=`), and which other staff have the issue open."""
    change = selectors.latest_change(issue_id)
    if change is None:
        raise Http404("There is no such issue.")
    since = request.GET.get("since", "")
    if since.isdigit() and int(since) < change["version"]:
        change["changes"] = [
            change_phrase(row["actor_name"], row["event_type"], row["data"])
            for row in selectors.changes_since(issue_id, int(since))
        ]
    change["looking"] = presence.look(issue_id, request.user.get_username())
    change["looking_text"] = looking_text(change["looking"])
    return JsonResponse(change, headers={"Cache-Control": "no-store"})
