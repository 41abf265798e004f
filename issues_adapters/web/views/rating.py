"""The reporter rates a resolved issue: from the tracking page, or from a signed link in the
resolution mail (its page asks once more, with the score chosen, so a mail scanner following
links rates nothing)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from issues_adapters import languages
from issues_adapters.reports.ratings import unsigned
from issues_adapters.texts import translated
from issues_adapters.web.presentation import reporter_can_rate
from issues_adapters.web.rating_form import RatingForm
from issues_adapters.web.views.public import (
    _issue_for,
    _post_or_none,
    _render_track,
    _tell,
    continued,
)
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain.commands import RateSatisfaction
from issues_domain.errors import CommandRefused, InvalidInput, IssueNeverResolved
from issues_domain.lifecycle import is_open


@require_POST
def rate(request, token):
    issue = _issue_for(token)
    data = _post_or_none(request)
    form = RatingForm(data)
    if data is not None and form.is_valid():
        command = RateSatisfaction(
            issue_id=issue.id,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
        try:
            message_bus().handle(command)
        except InvalidInput as error:
            form.add_domain_errors(error)
        except CommandRefused as error:
            with translation.override(languages.spoken(issue.language)):
                alert = _nothing_to_rate(issue) or translated(error.detail)
            return _render_track(request, issue, rating_form=form, alert=alert, status=409)
        else:
            _tell(request, issue, gettext_lazy("Thank you for your rating."))
            return redirect("track_issue", token=token)
    return _render_track(request, issue, rating_form=form, status=400)


@require_GET
def rate_link(request, signed):
    found = unsigned(signed)
    if found is None:
        raise Http404("No such page.")
    token, score = found
    issue = _issue_for(token)
    language = languages.spoken(issue.language)  # the reporter's, as on the tracking page
    with translation.override(language):
        context = {
            "issue": issue,
            "token": token,
            "rating_form": RatingForm(initial={"score": score}),
            # An old link: the issue was reopened (or merged) since the mail was sent.
            "nothing_to_rate": _nothing_to_rate(issue),
        }
        response = render(request, "web/rate.html", context)
    response["Content-Language"] = language
    return response


def _nothing_to_rate(issue) -> str:
    """Why the issue has no resolution to rate now, as its reporter sees it; "" if it has one."""
    if reporter_can_rate(issue):
        return ""
    merged_into = continued(issue, issue.reporter_email)
    if merged_into:  # closed by the merge, never resolved itself
        if merged_into["merged_into"] != merged_into["reference"]:
            return _(
                "Your report was merged into %(first)s, which was later merged into "
                "%(reference)s, and closed without a resolution of its own, so there is "
                "nothing to rate here. We keep you informed on %(reference)s."
            ) % {"first": merged_into["merged_into"], "reference": merged_into["reference"]}
        return _(
            "Your report was merged into %(reference)s and closed without a resolution of its "
            "own, so there is nothing to rate here. We keep you informed on %(reference)s."
        ) % {"reference": merged_into["reference"]}
    if is_open(issue.status) and _was_reopened(issue):
        return _(
            "This issue was reopened, so there is nothing to rate now. You can rate it once "
            "it is resolved again."
        )
    return translated(IssueNeverResolved().detail)


def _was_reopened(issue) -> bool:
    history = issue_queries().history(issue.id)
    return any(event.event_type == "IssueReopened" for event in history)
