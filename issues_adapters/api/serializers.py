"""Output serializers (shape data for the client) and the error bodies, for the schema too.

Input serializers live next to their views (HackSoft style) and only check shape: types and
lengths. Whether a category exists, who may be assigned, what a status allows: the domain
decides, and its refusals come back through the exception handler.
"""

from functools import lru_cache

from django.urls import get_script_prefix
from django.urls import reverse as path_to
from django.utils import timezone
from rest_framework import serializers

from issues_domain.sla_clock import SlaState
from issues_domain.values import ActorRole, IssueStatus, LinkKind, Priority, Visibility

_ID = "00000000-0000-0000-0000-000000000000"
# Named once for the schema (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ActorRoleEnum"]).
ACTOR_ROLES = [role.value for role in ActorRole]


ISSUE_STATUSES = [status.value for status in IssueStatus]
LINK_KINDS = [kind.value for kind in LinkKind]


class CommentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    author_name = serializers.CharField()
    author_role = serializers.ChoiceField(choices=ACTOR_ROLES)
    body = serializers.CharField()
    visibility = serializers.ChoiceField(choices=[v.value for v in Visibility])
    created_at = serializers.DateTimeField()


class IssueSummaryOutput(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.SerializerMethodField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=ISSUE_STATUSES)
    reporter_name = serializers.CharField()
    reporter_email = serializers.CharField()
    subject = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    priority = serializers.ChoiceField(choices=[p.value for p in Priority], allow_null=True)
    assignee = serializers.CharField(allow_null=True)
    version = serializers.IntegerField()
    reported_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    tags = serializers.ListField(child=serializers.CharField())

    def get_url(self, issue) -> str:
        return issue_url(issue.id, self.context.get("request"))


class LinkOutput(serializers.Serializer):
    issue_id = serializers.UUIDField(help_text="The linked issue.")
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=ISSUE_STATUSES)
    kind = serializers.ChoiceField(choices=LINK_KINDS)


class SlaClockOutput(serializers.Serializer):
    state = serializers.ChoiceField(choices=[state.value for state in SlaState])
    due_at = serializers.DateTimeField(allow_null=True, help_text="None while paused or met.")
    target_minutes = serializers.IntegerField(help_text="Business time.")
    spent_minutes = serializers.IntegerField(help_text="Business time spent so far.")


class SlaOutput(serializers.Serializer):
    policy = serializers.CharField(allow_null=True)
    first_response = SlaClockOutput()
    resolution = SlaClockOutput()


class AttachmentOutput(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.SerializerMethodField(help_text="Where staff download it.")
    filename = serializers.CharField()
    content_type = serializers.CharField(help_text="Read from the file's content.")
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField()
    comment_id = serializers.UUIDField(
        allow_null=True, help_text="The comment it came with; null: with the report."
    )
    visibility = serializers.ChoiceField(choices=[v.value for v in Visibility])

    def get_url(self, attachment) -> str:
        return attachment_url(attachment.id, self.context.get("request"))


class IssueOutput(IssueSummaryOutput):
    resolution = serializers.CharField(allow_null=True)
    comments = CommentOutput(many=True)
    language = serializers.CharField(help_text="The reporter's language tag.")
    links = LinkOutput(many=True, help_text="Related issues; each lists this one too.")
    merged_into = serializers.UUIDField(
        allow_null=True, help_text="The issue this duplicate was merged into, or null."
    )
    merged_into_reference = serializers.CharField(allow_null=True)
    sla = SlaOutput(allow_null=True, help_text="The SLA clocks; null when no policy applies.")
    attachments = AttachmentOutput(many=True)
    watchers = serializers.ListField(
        child=serializers.CharField(), help_text="Addresses copied on public activity."
    )


class AttachmentsOutput(serializers.Serializer):
    attachments = AttachmentOutput(many=True)


def attachment_url(attachment_id, request) -> str:
    path = path_to("api:attachment", args=[attachment_id])
    return request.build_absolute_uri(path) if request is not None else path


def attachment_data(attachment, request) -> dict:
    """What `AttachmentOutput(attachment, context={"request": request}).data` gives."""
    return {
        "id": str(attachment.id),
        "url": attachment_url(attachment.id, request),
        "filename": _text(attachment.filename),
        "content_type": _text(attachment.content_type),
        "size": int(attachment.size),
        "sha256": _text(attachment.sha256),
        "comment_id": None if attachment.comment_id is None else str(attachment.comment_id),
        "visibility": _text(attachment.visibility),
    }


@lru_cache(maxsize=8)
def _issue_path_template(script_prefix: str) -> str:
    return path_to("api:issue-detail", args=[_ID])


def issue_url(issue_id, request) -> str:
    """The issue's API URL, absolute when there is a request; `reverse` once per process, the
    scheme and host once per request (a report needs the URL twice: Location and `url`)."""
    path = _issue_path_template(get_script_prefix()).replace(_ID, str(issue_id))
    if request is None:
        return path
    origin = getattr(request, "_helpdesk_origin", None)
    if origin is None:
        origin = request._helpdesk_origin = request.build_absolute_uri("/")[:-1]
    return origin + path


def _text(value) -> str | None:
    return None if value is None else str(value)


def _datetime(value) -> str | None:
    """As DRF's DateTimeField gives it: in the current time zone, ISO 8601, UTC as "Z"."""
    if value is None:
        return None
    shown = timezone.localtime(value).isoformat()
    return shown[:-6] + "Z" if shown.endswith("+00:00") else shown


def issue_summary_data(issue, request) -> dict:
    """Exactly what `IssueSummaryOutput(issue, context={"request": request}).data` gives,
    built directly: running a serializer's fields for each of a page's rows cost a third of
    the queue's CPU, and a sixth of a report's. The serializers stay the schema;
    tests/api/test_issue_shaping.py keeps the two equal."""
    return {
        "id": str(issue.id),
        "url": issue_url(issue.id, request),
        "reference": _text(issue.reference),
        "status": _text(issue.status),
        "reporter_name": _text(issue.reporter_name),
        "reporter_email": _text(issue.reporter_email),
        "subject": _text(issue.subject),
        "description": _text(issue.description),
        "category": _text(issue.category),
        "priority": _text(issue.priority),
        "assignee": _text(issue.assignee),
        "version": None if issue.version is None else int(issue.version),
        "reported_at": _datetime(issue.reported_at),
        "updated_at": _datetime(issue.updated_at),
        "tags": [str(tag) for tag in issue.tags],
    }


def issue_detail_data(issue, request) -> dict:
    """What `IssueOutput(issue, context={"request": request}).data` gives (see above)."""
    return issue_summary_data(issue, request) | {
        "resolution": _text(issue.resolution),
        "comments": [
            {
                "id": str(comment.id),
                "author_name": _text(comment.author_name),
                "author_role": _text(comment.author_role),
                "body": _text(comment.body),
                "visibility": _text(comment.visibility),
                "created_at": _datetime(comment.created_at),
            }
            for comment in issue.comments
        ],
        "language": _text(issue.language),
        "links": [
            {
                "issue_id": str(link.issue_id),
                "reference": _text(link.reference),
                "status": _text(link.status),
                "kind": _text(link.kind),
            }
            for link in issue.links
        ],
        "merged_into": _text(issue.merged_into),
        "merged_into_reference": _text(issue.merged_into_reference),
        "sla": _sla(issue.sla),
        "attachments": [attachment_data(attachment, request) for attachment in issue.attachments],
        "watchers": [str(email) for email in issue.watchers],
    }


def _sla(sla: dict | None) -> dict | None:
    if sla is None:
        return None
    return {
        name: {**value, "due_at": _datetime(value["due_at"])} if isinstance(value, dict) else value
        for name, value in sla.items()
    }


def issue_page_data(issues, next_url: str | None, previous_url: str | None, request) -> dict:
    """What `IssuePageOutput(...).data` gives for a page of the queue (see above)."""
    return {
        "results": [issue_summary_data(issue, request) for issue in issues],
        "next": next_url,
        "previous": previous_url,
    }


class IssuePageOutput(serializers.Serializer):
    results = IssueSummaryOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null.")


class EventOutput(serializers.Serializer):
    position = serializers.IntegerField(help_text="Place in the one global order of events.")
    event_id = serializers.UUIDField()
    event_type = serializers.CharField(help_text="IssueReported, IssueTriaged, ...")
    version = serializers.IntegerField(help_text="The issue's version after this event.")
    occurred_at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    actor_role = serializers.ChoiceField(choices=ACTOR_ROLES)
    data = serializers.DictField(help_text="The event's own fields.")
    status = serializers.ChoiceField(
        choices=ISSUE_STATUSES, allow_null=True, help_text="The issue's status after the event."
    )
    correlation_id = serializers.CharField(
        allow_null=True, help_text="The request or inbound mail that started it (X-Request-ID)."
    )
    causation_id = serializers.CharField(
        allow_null=True, help_text="The command, or the event a process reacted to."
    )
    schema_version = serializers.IntegerField(help_text="The shape of `data`.")


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class ErrorOutput(serializers.Serializer):
    """Every error but 400: a stable code and a message for people."""

    code = serializers.CharField(help_text="snake_case, stable: e.g. issue_already_resolved.")
    detail = serializers.CharField()


# 400: the fields that are wrong, each with its messages.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Each invalid field with its messages; `non_field_errors` for the body as a whole, "
        "`If-Match` / `Idempotency-Key` / `cursor` for those."
    ),
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"reporter_email": ["Enter a valid email address, like name@example.com."]},
}
