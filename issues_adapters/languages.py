"""Which of settings.LANGUAGES a language tag means (a browser's, a mail's, a stored one)."""

from django.conf import settings
from django.utils.translation import get_supported_language_variant


def supported(tag: str | None) -> str | None:
    """The language code we speak for `tag` ("de-DE" -> "de", "en" -> "en-gb"), or None."""
    if not tag:
        return None
    try:
        return get_supported_language_variant(tag.strip().lower().replace("_", "-"))
    except LookupError:
        return None


def spoken(tag: str | None) -> str:
    """The language to speak to someone whose language is `tag`: it, or the default."""
    return supported(tag) or settings.LANGUAGE_CODE


def first_of_header(header: str | None) -> str | None:
    """The first language we speak among a header's (Content-Language: "de-DE, en")."""
    for part in (header or "").split(","):
        found = supported(part.split(";")[0])
        if found:
            return found
    return None
