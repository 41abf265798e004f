"""Value objects: small immutable things that validate themselves."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from issues_domain.errors import InvalidInput
from issues_domain.texts import Text, gettext_noop

DESCRIPTION_MAX_LENGTH = 10_000
NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
COMMENT_MAX_LENGTH = 10_000
RESOLUTION_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 10_000
TAG_MAX_LENGTH = 32
TAGS_PER_ISSUE = 20
_TAG = re.compile(rf"[a-z0-9-]{{1,{TAG_MAX_LENGTH}}}")
RATING_COMMENT_MAX_LENGTH = 2_000
SATISFACTION_SCORES = range(1, 6)

# Control characters (C0, DEL and C1) other than tab, line feed and carriage return; a browser
# sends a textarea's line breaks as CR LF.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# An email address is one plain addr-spec, `local@domain`, as Django's EmailValidator reads
# it (tests/adapters/test_email_addresses.py holds the two together), less what no mail server
# takes as one person's address: a quoted local part, a display name, a list, a bare host
# name or an IP literal. Whether it is deliverable is the mail server's call.
_LOCAL_PART = re.compile(r"[-!#$%&'*+/=?^_`{}|~0-9a-z]+(\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*", re.I)
_LETTER = "a-z0-9\u00a1-\uffff"  # Django's: internationalised names in Unicode, not punycode
_DOMAIN = re.compile(
    rf"[{_LETTER}](?:[{_LETTER}-]{{0,61}}[{_LETTER}])?"  # the first label
    rf"(?:\.(?!-)[{_LETTER}-]{{1,63}}(?<!-))*"  # the ones in between
    r"\.(?!-)(?:[a-z\u00a1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)",  # the top-level domain
    re.I,
)
LOCAL_PART_MAX_LENGTH = 64  # RFC 5321 section 4.5.3.1.1
REQUIRED = Text(gettext_noop("This field is required."))
# The language a reporter reads: a lower-case language tag ("en", "de", "pt-br").
DEFAULT_LANGUAGE = "en"
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}")


class IssueStatus(StrEnum):
    REPORTED = "reported"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    WAITING = "waiting"  # on the reporter's answer
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @classmethod
    def parse(cls, value: "str | Priority | None", field: str = "priority") -> "Priority | None":
        if value in (None, ""):
            return None
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(p.value for p in cls)
            message = Text(gettext_noop("Choose one of: %(choices)s."), choices=choices)
            raise InvalidInput.on(field, message) from None


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"

    @classmethod
    def parse(cls, value: "str | Visibility") -> "Visibility":
        try:
            return cls(value)
        except ValueError:
            message = Text(gettext_noop("Choose public or internal."))
            raise InvalidInput.on("visibility", message) from None


class FollowUp(StrEnum):
    """What a reply from the composer does besides being sent."""

    NONE = "send"
    AWAIT_REPORTER = "await_reporter"
    RESOLVE = "resolve"

    @classmethod
    def parse(cls, value: "str | FollowUp") -> "FollowUp":
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(f.value for f in cls)
            message = Text(gettext_noop("Choose one of: %(choices)s."), choices=choices)
            raise InvalidInput.on("follow_up", message) from None


class ActorRole(StrEnum):
    STAFF = "staff"
    REPORTER = "reporter"
    SYSTEM = "system"
    WATCHER = "watcher"  # somebody copied on the issue (a Cc of its mail, say)


def clean_text(
    value: str | None, field: str, *, max_length: int, required: bool = True, one_line=False
) -> str:
    """Strip surrounding space and refuse what no person would mean to send."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput.on(field, REQUIRED)
    if len(text) > max_length:
        message = gettext_noop("At most %(max_length)s characters, please (%(length)s).")
        raise InvalidInput.on(field, Text(message, max_length=max_length, length=len(text)))
    if _CONTROL_CHARACTERS.search(text) or (one_line and ("\n" in text or "\r" in text)):
        message = gettext_noop("Contains control characters that cannot be stored.")
        raise InvalidInput.on(field, Text(message))
    return text


def clean_question(value: str | None) -> str:
    """What staff ask the reporter when they wait for the answer (AwaitReporter)."""
    return clean_text(value, "comment", max_length=COMMENT_MAX_LENGTH)


def clean_resolution(value: str | None) -> str:
    return clean_text(value, "resolution", max_length=RESOLUTION_MAX_LENGTH)


def clean_email(value: str | None, field: str = "email") -> str:
    """One plain address, its domain in lower case (the local part is the mail server's)."""
    email = clean_text(value, field, max_length=EMAIL_MAX_LENGTH, one_line=True)
    local, at, domain = email.rpartition("@")
    if not (
        at
        and len(local) <= LOCAL_PART_MAX_LENGTH
        and _LOCAL_PART.fullmatch(local)
        and _DOMAIN.fullmatch(domain)
        and not any(character.isspace() for character in domain)
    ):
        message = gettext_noop("Enter a valid email address, like name@example.com.")
        raise InvalidInput.on(field, Text(message))
    return f"{local}@{domain.lower()}"


def clean_language(value: str | None, field: str = "language") -> str:
    """A language tag in lower case with hyphens; none given: English."""
    tag = (value or "").strip().lower().replace("_", "-")
    if not tag:
        return DEFAULT_LANGUAGE
    if not _LANGUAGE_TAG.fullmatch(tag):
        message = gettext_noop("Give a language tag such as en or de.")
        raise InvalidInput.on(field, Text(message))
    return tag


def validate_all(**checks: Callable[[], Any]) -> dict[str, Any]:
    """Run every check and report all bad fields at once, not just the first.

    When only one check failed, its own error is raised, so a specific code (such as
    `unknown_category`) reaches the caller instead of the generic `invalid_input`.
    """
    cleaned: dict[str, Any] = {}
    failures: list[InvalidInput] = []
    for field, check in checks.items():
        try:
            cleaned[field] = check()
        except InvalidInput as error:
            failures.append(error)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        errors: dict[str, list[str]] = {}
        for failure in failures:
            errors.update(failure.errors)
        raise InvalidInput(errors)
    return cleaned


class LinkKind(StrEnum):
    RELATED = "related"

    @classmethod
    def parse(cls, value: "str | LinkKind | None") -> "LinkKind":
        try:
            return cls(value or cls.RELATED)
        except ValueError:
            choices = ", ".join(kind.value for kind in cls)
            message = Text(gettext_noop("Choose one of: %(choices)s."), choices=choices)
            raise InvalidInput.on("kind", message) from None


def clean_tags(values, field: str) -> list[str]:
    """Tags as typed, checked one by one: lowercase letters, digits and hyphens, 1 to 32."""
    if isinstance(values, str) or not all(isinstance(value, str) for value in values or ()):
        raise InvalidInput.on(field, Text(gettext_noop("Send a list of tags.")))
    tags, wrong = [], []
    for value in values or ():
        tag = value.strip()
        if not _TAG.fullmatch(tag):
            wrong.append(value)
        elif tag not in tags:
            tags.append(tag)
    if wrong:
        shown = ", ".join(repr(value) for value in wrong)
        message = gettext_noop(
            "Not a valid tag: %(shown)s. A tag is 1 to %(max_length)s characters: lowercase "
            "letters a-z, digits and hyphens, no spaces."
        )
        raise InvalidInput.on(field, Text(message, shown=shown, max_length=TAG_MAX_LENGTH))
    return tags


@dataclass(frozen=True)
class IssueReporter:
    """The person who reported an issue; usually not a member of staff."""

    name: str
    email: str

    @classmethod
    def create(cls, name: str | None, email: str | None) -> "IssueReporter":
        cleaned = validate_all(
            reporter_name=lambda: clean_text(
                name, "reporter_name", max_length=NAME_MAX_LENGTH, one_line=True
            ),
            reporter_email=lambda: clean_email(email, "reporter_email"),
        )
        return cls(cleaned["reporter_name"], cleaned["reporter_email"])


@dataclass(frozen=True)
class Actor:
    """Who did something: a staff member (by username) or the issue's reporter."""

    role: ActorRole
    name: str
    email: str = ""

    @classmethod
    def staff(cls, username: str) -> "Actor":
        return cls(ActorRole.STAFF, username)

    @classmethod
    def reporter(cls, reporter: IssueReporter) -> "Actor":
        return cls(ActorRole.REPORTER, reporter.name, reporter.email)

    @classmethod
    def system(cls, process: str) -> "Actor":
        """A process of the helpdesk's own (the SLA timers, auto-close)."""
        return cls(ActorRole.SYSTEM, process)

    @classmethod
    def watcher(cls, email: str, name: str = "") -> "Actor":
        return cls(ActorRole.WATCHER, name or email, email)

    @property
    def is_staff(self) -> bool:
        return self.role == ActorRole.STAFF


@dataclass(frozen=True)
class Comment:
    id: uuid.UUID
    author: Actor
    body: str
    visibility: Visibility
    created_at: datetime
    attachments: tuple = ()  # of issues_domain.attachments.Attachment

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


def clean_score(value: "int | str | None", field: str = "score") -> int:
    """A satisfaction score: a whole number from 1 (poor) to 5 (great)."""
    try:
        score = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        score = None
    if score not in SATISFACTION_SCORES:
        raise InvalidInput.on(field, Text(gettext_noop("Choose a whole number from 1 to 5.")))
    return score
