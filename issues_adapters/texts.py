"""The domain's messages in the reader's language: the one place they are translated.

The domain writes English `Text`s whose templates makemessages collects (they are marked with
`gettext_noop`); here each is looked up in the active language's catalogue and filled in, its
numbers formatted the way that language writes them ("2,5 MB" in German).
"""

from django.utils.formats import number_format
from django.utils.translation import gettext

from issues_domain.errors import DomainError, InvalidInput
from issues_domain.texts import Text


def translated(message: str) -> str:
    if not isinstance(message, Text):
        return gettext(message) if message else message
    values = {name: _said(value) for name, value in message.values.items()}
    template = gettext(message.template)
    return template % values if values else template


def _said(value):
    if isinstance(value, Text):
        return translated(value)
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    return value


def translated_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        field: [translated(message) for message in messages] for field, messages in errors.items()
    }


def explanation(error: DomainError) -> str:
    """Why the domain refused, in a sentence or two."""
    if isinstance(error, InvalidInput):
        return " ".join(
            m for messages in translated_errors(error.errors).values() for m in messages
        )
    return translated(error.detail)
