"""/staff/settings/language/: a staff member chooses the language of the staff pages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from issues_adapters.accounts import languages
from issues_adapters.web.forms import LanguageForm
from issues_adapters.web.views.staff import staff_required


@require_http_methods(["GET", "POST"])
@staff_required
def staff_language(request):
    if request.method == "GET":
        current = languages.chosen_language(request) or translation.get_language()
        form = LanguageForm(initial={"language": current})
        return render(request, "web/staff_language.html", {"form": form})
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return render(request, "web/staff_language.html", {"form": form}, status=400)
    language = form.cleaned_data["language"]
    languages.choose(request, language)
    with translation.override(language):  # said in the language just chosen
        messages.success(request, _("Saved: the staff pages speak this language now."))
    return redirect("staff_language")
