"""The reporter rates a resolved issue: from the tracking page, or from a signed link in the
resolution mail (its page asks once more, with the score chosen, so a mail scanner following
links rates nothing)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues_adapters.reports.ratings import unsigned
from issues_adapters.web.rating_form import RatingForm
from issues_adapters.web.views.public import _issue_for, _post_or_none, _render_track
from issues_adapters.wiring import message_bus
from issues_domain.commands import RateSatisfaction
from issues_domain.errors import CommandRefused, InvalidInput


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
            return _render_track(request, issue, rating_form=form, alert=error.detail, status=409)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("track_issue", token=token)
    return _render_track(request, issue, rating_form=form, status=400)


@require_GET
def rate_link(request, signed):
    found = unsigned(signed)
    if found is None:
        raise Http404("No such page.")
    token, score = found
    issue = _issue_for(token)
    context = {
        "issue": issue,
        "token": token,
        "rating_form": RatingForm(initial={"score": score}),
    }
    return render(request, "web/rate.html", context)
