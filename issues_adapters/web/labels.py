"""What the pages call statuses and priorities, in the reader's language."""

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "reported": pgettext_lazy("status", "Reported"),
    "triaged": pgettext_lazy("status", "Triaged"),
    "assigned": pgettext_lazy("status", "Assigned"),
    "waiting": pgettext_lazy("status", "Waiting"),
    "resolved": pgettext_lazy("status", "Resolved"),
    "closed": pgettext_lazy("status", "Closed"),
}
PRIORITY_LABELS = {
    "low": _("Low"),
    "normal": _("Normal"),
    "high": _("High"),
    "urgent": _("Urgent"),
}


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def priority_label(priority: str | None) -> str:
    return PRIORITY_LABELS.get(priority or "", priority or "")


# The queue's orderings (issues_service.queries.QUEUE_ORDERINGS names the same keys).
ORDERING_LABELS = {
    "-reported_at": _("Newest first"),
    "reported_at": _("Oldest first"),
    "-updated_at": _("Recently updated"),
    "updated_at": _("Longest untouched"),
    "-priority": _("Most urgent first"),
    "priority": _("Least urgent first"),
    "reference": _("Reference"),
    "-reference": _("Reference, highest first"),
    "sla_due_at": _("Next SLA deadline first"),
}


def category_label(name: str) -> str:
    """A seeded category's name in the reader's language (persistence/reference_data.py marks
    them for translation); a name an admin typed, as typed."""
    return gettext(name) if name else name
