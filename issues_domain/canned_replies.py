"""Canned replies: text staff keep to insert into a reply, with the issue's values filled in.

A reply may name only the placeholders below; anything else in braces is refused when it is
saved, so a typo never reaches a reporter as `{reporter_nmae}`.
"""

import dataclasses
import re
from dataclasses import dataclass

from issues_domain.errors import InvalidInput
from issues_domain.texts import Text, gettext_noop
from issues_domain.values import clean_text, validate_all

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000
SUBJECT_MAX_LENGTH = 120
PLACEHOLDERS = ("reporter_name", "reference", "subject", "agent_name")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _checked_body(body: str | None) -> str:
    text = clean_text(body, "body", max_length=BODY_MAX_LENGTH)
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        named = ", ".join("{" + name + "}" for name in dict.fromkeys(unknown))
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        message = gettext_noop("Unknown placeholder %(named)s: use only %(known)s.")
        raise InvalidInput.on("body", Text(message, named=named, known=known))
    return text


@dataclass(frozen=True)
class PlaceholderValues:
    reporter_name: str
    reference: str
    subject: str
    agent_name: str

    @classmethod
    def of(
        cls,
        *,
        reporter_name: str,
        reference: str,
        description: str,
        agent_name: str,
        subject: str | None = None,
    ) -> "PlaceholderValues":
        """An issue without a subject of its own is named by its description's first line."""
        if not subject:
            first_line = (description or "").strip().splitlines()[:1]
            subject = first_line[0].strip()[:SUBJECT_MAX_LENGTH] if first_line else ""
        return cls(reporter_name, reference, subject, agent_name)


@dataclass(frozen=True)
class CannedReply:
    title: str
    body: str

    @classmethod
    def create(cls, title: str | None, body: str | None) -> "CannedReply":
        fields = validate_all(
            title=lambda: clean_text(title, "title", max_length=TITLE_MAX_LENGTH, one_line=True),
            body=lambda: _checked_body(body),
        )
        return cls(**fields)

    def filled(self, values: PlaceholderValues) -> str:
        known = dataclasses.asdict(values)
        return _PLACEHOLDER.sub(lambda match: known.get(match.group(1), match.group(0)), self.body)
