"""Staff keep canned replies at /staff/canned-replies/: list, create, edit, delete.

The placeholder rule is the domain's (issues_domain.canned_replies); a refused reply comes
back with what was typed and the rule's words under the field.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from issues_adapters.canned_replies import store
from issues_adapters.web.forms import DomainErrorsMixin
from issues_adapters.web.views.staff import staff_required
from issues_domain.canned_replies import BODY_MAX_LENGTH, PLACEHOLDERS, TITLE_MAX_LENGTH
from issues_domain.errors import InvalidInput


class CannedReplyForm(DomainErrorsMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in per request: a lazy text filled in at import is English for good.
        self.fields["body"].help_text = _("Placeholders filled in when inserted: %(names)s") % {
            "names": ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        }


def _saved(request, form, save) -> bool:
    """Run `save(title, body)` for a valid form; put the domain's refusal on the form."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data["title"], form.cleaned_data["body"])
    except InvalidInput as error:
        form.add_domain_errors(error)
        return False
    return True


@require_http_methods(["GET", "POST"])
@staff_required
def index(request):
    form = CannedReplyForm(request.POST or None)
    if request.method == "POST":
        by = request.user.get_username()
        if _saved(request, form, lambda title, body: store.create(title, body, by=by)):
            messages.success(request, _("Canned reply saved."))
            return redirect("staff_canned_replies")
    status = 400 if form.is_bound else 200
    context = {"replies": store.all_replies(), "form": form}
    return render(request, "web/canned_replies.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def edit(request, reply_id):
    try:
        reply = store.one(reply_id)
    except store.CannedReplyNotFound:
        raise Http404(_("There is no such canned reply.")) from None
    form = CannedReplyForm(request.POST or None, initial={"title": reply.title, "body": reply.body})
    if request.method == "POST":
        by = request.user.get_username()
        if _saved(request, form, lambda t, b: store.change(reply_id, t, b, by=by)):
            messages.success(request, _("Canned reply saved."))
            return redirect("staff_canned_replies")
    status = 400 if form.is_bound else 200
    return render(
        request, "web/canned_reply_edit.html", {"reply": reply, "form": form}, status=status
    )


@require_POST
@staff_required
def delete(request, reply_id):
    try:
        store.delete(reply_id)
    except store.CannedReplyNotFound:
        raise Http404(_("There is no such canned reply.")) from None
    messages.success(request, _("Canned reply deleted."))
    return redirect("staff_canned_replies")
