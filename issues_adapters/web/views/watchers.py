"""A watcher's page, by their own link (watcher_links): the public conversation, and a form to
answer as themselves. It stops working once they no longer watch the issue."""

import dataclasses

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from issues_adapters.attachments.serving import file_response, thumbnail_response
from issues_adapters.attachments.uploads import discarded_unless_kept, limit_uploads, uploaded
from issues_adapters.texts import translated
from issues_adapters.web import forms, watcher_links
from issues_adapters.web.presentation import resolution_files
from issues_adapters.web.views.public import continued
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain.commands import CommentOnIssue
from issues_domain.errors import CommandRefused, InvalidInput
from issues_domain.values import Actor


def _watched(token: str):
    found = watcher_links.read(token)
    issue = issue_queries().issue(found[0]) if found else None
    if issue is None or found[1].casefold() not in {w.casefold() for w in issue.watchers}:
        raise Http404("No such page.")
    public = [comment for comment in issue.comments if comment.visibility == "public"]
    files = [attachment for attachment in issue.attachments if attachment.visibility == "public"]
    return dataclasses.replace(issue, comments=public, attachments=files), found[1]


def _render(request, token, issue, email, *, form=None, alert="", status=200):
    return render(
        request,
        "web/watch.html",
        {
            "issue": issue,
            "email": email,
            "token": token,
            "files_base": reverse("watch_issue", kwargs={"token": token}),
            "report_attachments": issue.attachments_of(None),
            "comments": issue.comments,
            # The history only for a resolution's files: an unresolved issue has none.
            "resolution_attachments": resolution_files(issue_queries().history(issue.id))
            if issue.resolution
            else (),
            "comment_form": form or forms.ReporterCommentForm(),
            "can_comment": issue.status != "closed",
            "alert": alert,
            "merged_into": continued(issue, email),
        },
        status=status,
    )


def watch(request, token):
    issue, email = _watched(token)
    return _render(request, token, issue, email)


@csrf_exempt  # checked below, once the upload limits are in place (they must come first)
@require_POST
def watch_comment(request, token):
    return _watch_comment(request, token, limit_uploads(request))


@csrf_protect
def _watch_comment(request, token, uploads):
    issue, email = _watched(token)
    form = forms.ReporterCommentForm(request.POST)
    if form.is_valid():
        try:
            attachments = uploaded(request, uploads)
            with discarded_unless_kept(attachments):
                message_bus().handle(
                    CommentOnIssue(
                        issue_id=issue.id,
                        author=Actor.watcher(email),
                        body=form.cleaned_data["body"],
                        visibility="public",
                        attachments=attachments,
                    )
                )
        except InvalidInput as error:
            form.add_domain_errors(error)
        except CommandRefused as error:
            return _render(
                request, token, issue, email, form=form, alert=translated(error.detail), status=409
            )
        else:
            messages.success(request, _("Thank you: your comment was added."))
            return redirect("watch_issue", token=token)
    return _render(request, token, issue, email, form=form, status=400)


def _file(token, attachment_id):
    issue, _email = _watched(token)
    for attachment in issue.attachments:
        if attachment.id == attachment_id:
            return attachment
    raise Http404("There is no such file.")


def watch_attachment(request, token, attachment_id):
    return file_response(_file(token, attachment_id))


def watch_thumbnail(request, token, attachment_id):
    return thumbnail_response(_file(token, attachment_id))
