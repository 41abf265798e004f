"""The public pages: the report form, its confirmation, and the reporter's tracking page."""

import math
import uuid

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from issues_adapters.api.throttling import AnonymousReportThrottle, ReporterCommentThrottle
from issues_adapters.attachments.uploads import discarded_unless_kept, limit_uploads, uploaded
from issues_adapters.web import forms, selectors
from issues_adapters.web.presentation import reporter_can_comment, reporter_can_reopen
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain.commands import CommentOnIssue, ReopenIssue, ReportIssue
from issues_domain.errors import CommandRefused, InvalidInput, StaleVersion
from issues_domain.values import Actor, IssueReporter

_SESSION_KEY = "web.reported_issue"
TOO_BIG = (
    "What you sent is too large for us to accept. Please shorten the description "
    "(at most 10,000 characters) and send it again."
)


def _post_or_none(request):
    """request.POST, or None when the body is larger than Django accepts."""
    try:
        return request.POST
    except RequestDataTooBig:
        return None


@csrf_exempt  # checked below, once the upload limits are in place (they must come first)
@require_http_methods(["GET", "POST"])
def report(request):
    return _report(request, limit_uploads(request))


@csrf_protect
def _report(request, uploads):
    categories = selectors.active_categories()
    if request.method == "GET":
        return render(request, "web/report.html", {"form": forms.ReportForm(categories=categories)})
    data = _post_or_none(request)
    if data is None:
        form = forms.ReportForm(categories=categories)
        return render(request, "web/report.html", {"form": form, "too_big": TOO_BIG}, status=400)
    form = forms.ReportForm(data, categories=categories)
    if form.is_valid():
        throttle = AnonymousReportThrottle()
        if not throttle.allow_request(request, None):
            return _too_often(request, form, throttle.wait())
        fields = form.cleaned_data
        try:
            attachments = uploaded(request, uploads)
            with discarded_unless_kept(attachments):
                issue_id = message_bus().handle(
                    ReportIssue(
                        reporter_name=fields["name"],
                        reporter_email=fields["email"],
                        subject=fields["subject"],
                        description=fields["description"],
                        category=fields["category"] or None,
                        attachments=attachments,
                    )
                )
        except InvalidInput as error:
            form.add_domain_errors(error)
        else:
            request.session[_SESSION_KEY] = str(issue_id)
            return redirect("reported")
    return render(request, "web/report.html", {"form": form}, status=400)


def _too_often(request, form, wait: float | None):
    """The API's rate for anonymous reports, per address, counted across both: the form is
    shown again with what was typed, and when to send it."""
    seconds = max(1, math.ceil(wait or 1))
    response = render(
        request,
        "web/report.html",
        {
            "form": form,
            "too_often": (
                "We have received several reports from your address in a short time. Your "
                f"report was not sent yet: please send it again in {seconds} seconds."
            ),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def reported(request):
    """The confirmation, for the browser that just reported (the id is kept in its session)."""
    issue_id = request.session.get(_SESSION_KEY)
    found = selectors.reference_and_token(uuid.UUID(issue_id)) if issue_id else None
    if found is None:
        return redirect("report")
    reference, token = found
    tracking_url = request.build_absolute_uri(reverse("track_issue", kwargs={"token": token}))
    return render(
        request, "web/reported.html", {"reference": reference, "tracking_url": tracking_url}
    )


def _issue_for(token: str):
    issue = issue_queries().issue_by_tracking_token(token)
    if issue is None:
        raise Http404("No such page.")
    return issue


def _render_track(request, issue, *, comment_form=None, reopen_form=None, alert="", status=200):
    context = {
        "issue": issue,
        "report_attachments": issue.attachments_of(None),
        "files_base": reverse(
            "track_issue", kwargs={"token": request.resolver_match.kwargs["token"]}
        ),
        "token": request.resolver_match.kwargs["token"],
        "comments": issue.comments,  # the reporter's view holds public comments only
        "category_name": selectors.category_names().get(issue.category) if issue.category else "",
        "comment_form": comment_form or forms.ReporterCommentForm(),
        "reopen_form": reopen_form
        or forms.ReporterReopenForm(initial={"expected_version": issue.version}),
        "can_comment": reporter_can_comment(issue.status),
        "can_reopen": reporter_can_reopen(issue.status),
        "alert": alert,
    }
    return render(request, "web/track.html", context, status=status)


def track(request, token):
    return _render_track(request, _issue_for(token))


def _reporter(issue) -> Actor:
    return Actor.reporter(IssueReporter(issue.reporter_name, issue.reporter_email))


@csrf_exempt  # checked below, once the upload limits are in place (they must come first)
@require_POST
def track_comment(request, token):
    return _track_comment(request, token, limit_uploads(request))


@csrf_protect
def _track_comment(request, token, uploads):
    issue = _issue_for(token)
    data = _post_or_none(request)
    if data is None:
        return _render_track(request, issue, alert=TOO_BIG, status=400)
    form = forms.ReporterCommentForm(data)
    if form.is_valid():
        throttle = ReporterCommentThrottle(token)
        if not throttle.allow_request(request, None):
            return _comments_too_often(request, issue, form, throttle.wait())
        try:
            attachments = uploaded(request, uploads)
            with discarded_unless_kept(attachments):
                message_bus().handle(
                    CommentOnIssue(
                        issue_id=issue.id,
                        author=_reporter(issue),
                        body=form.cleaned_data["body"],
                        visibility="public",
                        attachments=attachments,
                    )
                )
        except InvalidInput as error:
            form.add_domain_errors(error)
        except CommandRefused as error:
            return _render_track(request, issue, comment_form=form, alert=error.detail, status=409)
        else:
            messages.success(request, "Thank you: your comment was added.")
            return redirect("track_issue", token=token)
    return _render_track(request, issue, comment_form=form, status=400)


def _comments_too_often(request, issue, form, wait: float | None):
    """Each comment mails the assignee: past the rate, the page comes back with the comment as
    it was typed, and when to send it."""
    seconds = max(1, math.ceil(wait or 1))
    alert = (
        "You have sent several comments on this issue in a short time. This one was not sent "
        f"yet: please send it again in {_in_words(seconds)}."
    )
    response = _render_track(request, issue, comment_form=form, alert=alert, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _in_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


@require_POST
def track_reopen(request, token):
    issue = _issue_for(token)
    data = _post_or_none(request)
    if data is None:
        return _render_track(request, issue, alert=TOO_BIG, status=400)
    form = forms.ReporterReopenForm(data)
    if form.is_valid():
        command = ReopenIssue(
            issue_id=issue.id,
            reason=form.cleaned_data["reason"],
            actor=_reporter(issue),
            expected_version=form.cleaned_data["expected_version"],
        )
        try:
            message_bus().handle(command)
        except InvalidInput as error:
            form.add_domain_errors(error)
        except StaleVersion:
            fresh = _issue_for(token)
            kept = data.copy()
            kept["expected_version"] = str(fresh.version)
            alert = "The helpdesk changed this issue while you were writing; please check it."
            reopen_form = forms.ReporterReopenForm(kept)
            return _render_track(request, fresh, reopen_form=reopen_form, alert=alert, status=409)
        except CommandRefused as error:
            return _render_track(request, issue, reopen_form=form, alert=error.detail, status=409)
        else:
            messages.success(request, "The issue is open again; the helpdesk will look at it.")
            return redirect("track_issue", token=token)
    return _render_track(request, issue, reopen_form=form, status=400)


def favicon(request):
    """Pages that name no icon (the admin, the API docs) make browsers ask for /favicon.ico."""
    return redirect(static("web/favicon.svg"))
