"""Each staff member's notification choices, and the one-click unsubscribe link in staff mail.

The unsubscribe link needs no login: it is signed for one staff member and one kind of mail,
and it only ever turns mail off. A GET shows a button (mail scanners follow links); a POST
turns it off, also the RFC 8058 one-click POST a mail client sends, which carries no CSRF token.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from issues_adapters.accounts import languages
from issues_adapters.accounts.preferences import read_unsubscribe_token, settings_of, turn_off
from issues_adapters.web import forms, reference_data
from issues_adapters.web.views.staff import staff_required
from issues_service.notifications import StaffMail

MAIL_NAMES = {
    StaffMail.NEW_ISSUE: gettext_lazy("mail on new issues"),
    StaffMail.ASSIGNMENT: gettext_lazy("mail when an issue is assigned to you"),
    StaffMail.REPORTER_REPLY: gettext_lazy("mail when a reporter replies on your issue"),
    StaffMail.REOPEN: gettext_lazy("mail when a reporter reopens your issue"),
}


@require_http_methods(["GET", "POST"])
@staff_required
def staff_settings(request):
    chosen = settings_of(request.user)
    categories = reference_data.current().categories
    if request.method == "POST":
        form = forms.NotificationSettingsForm(request.POST, instance=chosen, categories=categories)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your settings are saved."))
            return redirect("staff_settings")
        return render_settings(request, mail=form, status=400)
    return render_settings(request)


def language_form(request) -> forms.LanguageForm:
    current = languages.chosen_language(request) or translation.get_language()
    return forms.LanguageForm(initial={"language": current})


def render_settings(request, *, mail=None, language=None, status=200):
    """The settings page: mail on one form, the language on another (each saved on its own)."""
    mail = mail or forms.NotificationSettingsForm(
        instance=settings_of(request.user), categories=reference_data.current().categories
    )
    context = {"form": mail, "language_form": language or language_form(request)}
    return render(request, "web/settings.html", context, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = read_unsubscribe_token(token)
    if found is None:
        raise Http404(_("This link is not valid."))
    username, mail = found
    context = {"mail_name": MAIL_NAMES[mail], "done": False}
    if request.method == "POST":
        if not turn_off(username, mail):
            raise Http404(_("This link is not valid."))
        context["done"] = True
    return render(request, "web/unsubscribe.html", context)
