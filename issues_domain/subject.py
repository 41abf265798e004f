"""An issue's subject: one line that names the problem, shown wherever the issue is listed.

A report may come without one (the API, a mail with an empty Subject): then the description's
first line stands in, cut short. A mail's Subject loses what mail clients and our own mail put
in front of it (`Re:`, `Fwd:`, `AW:`, `WG:`, `[HD-1042]`).
"""

import re

from issues_domain.values import clean_text

SUBJECT_MAX_LENGTH = 200
DERIVED_SUBJECT_LENGTH = 120

_MAIL_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|antw)\s*(?:\[\d+\])?\s*:|\[HD-\d+\])\s*", re.I
)
_REFERENCE = re.compile(r"\s*\[HD-\d+\]\s*", re.I)


def subject_from_description(description: str) -> str:
    """The description's first line that says something, at most 120 characters."""
    for line in (description or "").splitlines():
        line = " ".join(line.split())
        if line:
            return line[:DERIVED_SUBJECT_LENGTH].rstrip()
    return ""


def subject_from_mail(subject: str | None) -> str:
    """A mail's Subject without reply and forward prefixes or our reference, on one line."""
    text = " ".join((subject or "").split())
    while True:
        shorter = _MAIL_PREFIX.sub("", text, count=1)
        if shorter == text:
            break
        text = shorter
    return " ".join(_REFERENCE.sub(" ", text).split())[:SUBJECT_MAX_LENGTH]


def clean_subject(subject: str | None, description: str) -> str:
    """The subject as given, or the description's first line when none was."""
    if not (subject or "").strip():
        return subject_from_description(description)
    return clean_text(subject, "subject", max_length=SUBJECT_MAX_LENGTH, one_line=True)
