"""Small reads the pages need besides issues_service.queries: reference data and lookups.

Each is one query; none returns a Django model to a template.
"""

import uuid

from django.contrib.auth import get_user_model

from issues_adapters.persistence.models import Category, IssueRecord, RecordedEvent
from issues_domain.events import DEADLINE_FLAGS


def active_categories() -> list[tuple[str, str]]:
    return list(Category.objects.filter(is_active=True).values_list("slug", "name"))


def category_names() -> dict[str, str]:
    """Every category by slug, inactive ones too (old issues still name them)."""
    return dict(Category.objects.values_list("slug", "name"))


def categories_and_names() -> tuple[list[tuple[str, str]], dict[str, str]]:
    """active_categories() and category_names() in one statement (the issue page needs both)."""
    rows = Category.objects.values_list("slug", "name", "is_active")
    every = list(rows)
    return [(slug, name) for slug, name, active in every if active], {
        slug: name for slug, name, _ in every
    }


def active_staff() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .order_by("username")
        .values_list("username", flat=True)
    )


def reference_and_token(issue_id: uuid.UUID) -> tuple[str, str] | None:
    """The reference and the reporter's private tracking token of a just-reported issue."""
    return (
        IssueRecord.objects.filter(id=issue_id).values_list("reference", "tracking_token").first()
    )


def issue_id_for_token(token: str) -> uuid.UUID | None:
    return IssueRecord.objects.filter(tracking_token=token).values_list("id", flat=True).first()


# The SLA's deadline flags change nothing a person acts on (Issue.changed_version): alone,
# they raise no collision notice; beside a change, the notice tells them too (changes_since).
_FLAGS = [event_type.__name__ for event_type in DEADLINE_FLAGS]


def latest_change(issue_id: uuid.UUID) -> dict | None:
    """The version of the issue's last change but a deadline flag and who made it: what the
    collision poll asks."""
    row = (
        RecordedEvent.objects.filter(issue_id=issue_id)
        .exclude(event_type__in=_FLAGS)
        .order_by("-position")
        .values("issue_version", "actor_name", "event_type", "occurred_at")
        .first()
    )
    if row is None:
        return None
    return {
        "version": row["issue_version"],
        "changed_by": row["actor_name"],
        "change": row["event_type"],
        "changed_at": row["occurred_at"].isoformat(),
    }


def changes_since(issue_id: uuid.UUID, version: int, limit: int = 5) -> list[dict]:
    """The latest changes made after `version`, oldest first: what the collision notice tells."""
    rows = (
        RecordedEvent.objects.filter(issue_id=issue_id, issue_version__gt=version)
        .order_by("-position")
        .values("actor_name", "event_type", "data")[:limit]
    )
    return list(reversed(rows))
