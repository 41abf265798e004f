"""The public pages: the report form, its confirmation, and the reporter's tracking page."""

import functools
import math
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from issues_adapters import languages
from issues_adapters.api.throttling import AnonymousReportThrottle, ReporterCommentThrottle
from issues_adapters.attachments.uploads import discarded_unless_kept, limit_uploads, uploaded
from issues_adapters.texts import translated
from issues_adapters.web import forms, selectors, watcher_links
from issues_adapters.web.labels import category_label
from issues_adapters.web.presentation import (
    conversation,
    reporter_can_comment,
    reporter_can_rate,
    reporter_can_reopen,
    resolution_files,
)
from issues_adapters.web.rating_form import RatingForm
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain.commands import CommentOnIssue, ReopenIssue, ReportIssue
from issues_domain.errors import CommandRefused, InvalidInput, StaleVersion
from issues_domain.lifecycle import is_open
from issues_domain.values import Actor, IssueReporter
from issues_service.queries import continuation

# The confirmation page finds the just-reported issue in a signed cookie, not the session, so
# that an anonymous report writes nothing to the database but the issue.
_REPORTED_COOKIE = "reported_issue"
_REPORTED_SALT = "web.reported_issue"
_REPORTED_SECONDS = 3600
TOO_BIG = gettext_lazy(
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
    categories = [(slug, category_label(name)) for slug, name in selectors.active_categories()]
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
                        # The browser's language (LocaleMiddleware read Accept-Language).
                        language=translation.get_language(),
                    )
                )
        except InvalidInput as error:
            form.add_domain_errors(error)
        else:
            response = redirect("reported")
            response.set_signed_cookie(
                _REPORTED_COOKIE,
                str(issue_id),
                salt=_REPORTED_SALT,
                max_age=_REPORTED_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
    elif uploads.refusal is not None:  # a file past a limit, told in the same round
        form.add_domain_errors(uploads.refusal)
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
            "too_often": ngettext(
                "We have received several reports from your address in a short time. Your "
                "report was not sent yet: please send it again in %(seconds)d second.",
                "We have received several reports from your address in a short time. Your "
                "report was not sent yet: please send it again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def reported(request):
    """The confirmation, for the browser that just reported (the id is in a signed cookie)."""
    issue_id = request.get_signed_cookie(
        _REPORTED_COOKIE, default=None, salt=_REPORTED_SALT, max_age=_REPORTED_SECONDS
    )
    found = selectors.reference_and_token(_uuid_or_none(issue_id)) if issue_id else None
    if found is None:
        return redirect("report")
    reference, token = found
    tracking_url = request.build_absolute_uri(reverse("track_issue", kwargs={"token": token}))
    return render(
        request, "web/reported.html", {"reference": reference, "tracking_url": tracking_url}
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _issue_for(token: str):
    issue = issue_queries().issue_by_tracking_token(token)
    if issue is None:
        raise Http404
    return issue


def _render_track(
    request, issue, *, comment_form=None, reopen_form=None, rating_form=None, alert="", status=200
):
    """The page speaks the language the reporter reported in, whatever this browser says."""
    language = languages.spoken(issue.language)
    with translation.override(language):
        response = _render_track_page(
            request, issue, comment_form, reopen_form, rating_form, alert, status
        )
    response["Content-Language"] = language
    return response


def _render_track_page(request, issue, comment_form, reopen_form, rating_form, alert, status):
    history = issue_queries().history(issue.id)
    context = {
        "issue": issue,
        "report_attachments": issue.attachments_of(None),
        "files_base": reverse(
            "track_issue", kwargs={"token": request.resolver_match.kwargs["token"]}
        ),
        "token": request.resolver_match.kwargs["token"],
        # The reporter's view holds public comments only, and their own reopen reasons.
        "comments": conversation(issue.comments, history),
        "resolution_attachments": resolution_files(history),
        "category_name": category_label(selectors.category_names().get(issue.category, ""))
        if issue.category
        else "",
        "comment_form": comment_form or forms.ReporterCommentForm(),
        "reopen_form": reopen_form
        or forms.ReporterReopenForm(initial={"expected_version": issue.version}),
        "can_comment": reporter_can_comment(issue.status),
        "can_reopen": reporter_can_reopen(issue.status),
        "can_rate": reporter_can_rate(issue),
        "rating_form": rating_form or RatingForm(),
        "alert": alert,
        "merged_into": continued(issue, issue.reporter_email),
    }
    return render(request, "web/track.html", context, status=status)


def continued(issue, follower: str):
    """The issue a duplicate continues as, at the end of its merges (a target may be merged
    in turn later): its reference, status, resolution and public replies (never its notes),
    the issue it was merged into first, and the follower's own page on it when they watch it
    (the merge made them a watcher; its tracking link is its reporter's alone)."""
    chain = continuation(issue, issue_queries().issue)
    if not chain:
        return None
    target = chain[-1]
    public = [comment for comment in target.comments if comment.visibility == "public"]
    watching = follower.casefold() in {watcher.casefold() for watcher in target.watchers}
    return {
        "reference": target.reference,
        "status": target.status,
        "resolution": target.resolution,
        "comments": public,
        "merged_into": chain[0].reference,
        "follow_url": reverse(
            "watch_issue", kwargs={"token": watcher_links.token_for(target.id, follower)}
        )
        if watching
        else "",
    }


def track(request, token):
    return _render_track(request, _issue_for(token))


def _in_the_issues_language(view):
    """A tracking page's form answers in the language the page speaks, the issue's, whatever
    this browser asks for: its errors and alerts are made while the view runs, so it runs in
    that language. The view gets the issue (its token's, else 404) and the token."""

    @functools.wraps(view)
    def speaking(request, token):
        issue = _issue_for(token)
        with translation.override(languages.spoken(issue.language)):
            return view(request, issue, token)

    return speaking


def _tell(request, issue, message) -> None:
    """A note for the next page, in the reporter's language as that page is."""
    with translation.override(languages.spoken(issue.language)):
        messages.success(request, str(message))


def _reporter(issue) -> Actor:
    return Actor.reporter(IssueReporter(issue.reporter_name, issue.reporter_email))


@csrf_exempt  # checked below, once the upload limits are in place (they must come first)
@require_POST
@_in_the_issues_language
def track_comment(request, issue, token):
    return _track_comment(request, issue, token, limit_uploads(request))


@csrf_protect
def _track_comment(request, issue, token, uploads):
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
            alert = translated(error.detail)
            return _render_track(request, issue, comment_form=form, alert=alert, status=409)
        else:
            _tell(request, issue, gettext_lazy("Thank you: your comment was added."))
            return redirect("track_issue", token=token)
    return _render_track(request, issue, comment_form=form, status=400)


def _comments_too_often(request, issue, form, wait: float | None):
    """Each comment mails the assignee: past the rate, the page comes back with the comment as
    it was typed, and when to send it."""
    seconds = max(1, math.ceil(wait or 1))
    alert = _(
        "You have sent several comments on this issue in a short time. This one was not sent "
        "yet: please send it again in %(wait)s."
    ) % {"wait": _in_words(seconds)}
    response = _render_track(request, issue, comment_form=form, alert=alert, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _in_words(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@require_POST
@_in_the_issues_language
def track_reopen(request, issue, token):
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
            if is_open(fresh.status):  # e.g. this very form, sent twice
                _tell(request, fresh, gettext_lazy("This issue is already open again."))
                return redirect("track_issue", token=token)
            kept = data.copy()
            kept["expected_version"] = str(fresh.version)
            alert = _("The helpdesk changed this issue while you were writing; please check it.")
            reopen_form = forms.ReporterReopenForm(kept)
            return _render_track(request, fresh, reopen_form=reopen_form, alert=alert, status=409)
        except CommandRefused as error:
            alert = translated(error.detail)
            return _render_track(request, issue, reopen_form=form, alert=alert, status=409)
        else:
            _tell(
                request,
                issue,
                gettext_lazy("The issue is open again; the helpdesk will look at it."),
            )
            return redirect("track_issue", token=token)
    return _render_track(request, issue, reopen_form=form, status=400)


def favicon(request):
    """Pages that name no icon (the admin, the API docs) make browsers ask for /favicon.ico."""
    return redirect(static("web/favicon.svg"))
