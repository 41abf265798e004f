"""Satisfaction ratings as the pages show them: read from the reports' per-issue facts (one row
by key), and the signed links the resolution mail carries (one per score)."""

import json
import uuid

from django.core import signing

from issues_adapters.reports.facts import Rating, current_rating
from issues_adapters.reports.models import ReportIssueFacts

_SALT = "reports.rate"
LINK_MAX_AGE = 90 * 24 * 3600  # a rating link in an old mail stops working after 90 days


def _facts(text: str) -> dict[int, list]:
    return {int(version): fact for version, fact in json.loads(text).items()}


def rating_of(issue_id: uuid.UUID) -> Rating | None:
    row = ReportIssueFacts.objects.filter(issue_id=issue_id).values_list("facts", flat=True)
    return next((current_rating(_facts(text)) for text in row), None)


def ratings_of(issue_ids) -> dict[uuid.UUID, Rating]:
    """Current ratings of these issues (a page of the queue), in one query."""
    rows = ReportIssueFacts.objects.filter(issue_id__in=list(issue_ids)).values_list(
        "issue_id", "facts"
    )
    found = {issue_id: current_rating(_facts(text)) for issue_id, text in rows}
    return {issue_id: rating for issue_id, rating in found.items() if rating}


def signed(tracking_token: str, score: int) -> str:
    """The part of a rating link that names the issue and the score, signed."""
    return signing.dumps({"t": tracking_token, "s": score}, salt=_SALT, compress=True)


def unsigned(value: str) -> tuple[str, int] | None:
    """(tracking token, score) from a link, or None if it is forged or too old."""
    try:
        data = signing.loads(value, salt=_SALT, max_age=LINK_MAX_AGE)
        return str(data["t"]), int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
