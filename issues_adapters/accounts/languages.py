"""Staff read the staff pages in the language they chose (on /staff/settings/).

The choice rides in the session (put there at login and when it is changed), so that applying
it costs no query. Runs after AuthenticationMiddleware; anyone without a choice keeps what
LocaleMiddleware took from their browser. A reporter's tracking page speaks the issue's language.
"""

from django.utils import translation

from issues_adapters import languages
from issues_adapters.accounts.models import LanguagePreference

SESSION_KEY = "staff_language"


def language_of_staff(username: str) -> str | None:
    """A staff member's chosen language (one we still speak), or None."""
    chosen = (
        LanguagePreference.objects.filter(user__username=username)
        .values_list("language", flat=True)
        .first()
    )
    return languages.supported(chosen)


def choose(request, language: str) -> None:
    LanguagePreference.objects.update_or_create(user=request.user, defaults={"language": language})
    request.session[SESSION_KEY] = language


def remember_at_login(sender, request, user, **kwargs) -> None:
    """user_logged_in's receiver."""
    chosen = language_of_staff(user.get_username()) if user.is_staff else None
    if chosen:
        request.session[SESSION_KEY] = chosen


def chosen_language(request) -> str | None:
    if not hasattr(request, "session") or not request.user.is_authenticated:
        return None
    return languages.supported(request.session.get(SESSION_KEY))


class StaffLanguage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = chosen_language(request)
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)
