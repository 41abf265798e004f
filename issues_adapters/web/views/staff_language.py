"""/staff/settings/language/: a staff member chooses the language of the staff pages (the form
is on /staff/settings/, beside the mail settings; this view saves it)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from issues_adapters.accounts import languages
from issues_adapters.web.forms import LanguageForm
from issues_adapters.web.views.settings import render_settings
from issues_adapters.web.views.staff import staff_required


@require_http_methods(["GET", "POST"])
@staff_required
def staff_language(request):
    if request.method == "GET":
        return redirect(reverse("staff_settings") + "#language-form")
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render_settings(request, language=form, status=400)
    language = form.cleaned_data["language"]
    languages.choose(request, language)
    with translation.override(language):  # said in the language just chosen
        messages.success(request, _("Saved: the staff pages speak this language now."))
    return redirect("staff_settings")
