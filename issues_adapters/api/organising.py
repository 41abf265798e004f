"""Tags, merge and links over the API: one view per operation, each building one command.

The input serializers take lists and strings as sent; what a tag may be, when a merge or a link
is allowed, the domain decides (400 with the rule in words, 409 with a code, 404 unknown).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from issues_adapters.api.serializers import LINK_KINDS
from issues_adapters.api.views import (
    ApiView,
    IssueCommandApi,
    command_schema,
    expected_version,
    parse_issue_id,
    removal_schema,
    text,
)
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor, LinkKind

TAGS_A_REQUEST = 100


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": TAGS_A_REQUEST})
class TagList(serializers.Field):
    """A JSON list of strings, taken as sent: what a tag may be is the domain's rule, and its
    refusal names each tag as typed (a ListField would report by index instead)."""

    default_error_messages = {"invalid": "Send a list of tags, each a string (at most 100)."}

    def to_internal_value(self, data):
        if (
            not isinstance(data, list)
            or len(data) > TAGS_A_REQUEST
            or not all(isinstance(tag, str) for tag in data)
        ):
            self.fail("invalid")
        return tuple(data)

    def to_representation(self, value):
        return list(value)


class TagIssueApi(IssueCommandApi):
    class TagInput(serializers.Serializer):
        add = TagList(
            required=False,
            default=tuple,
            help_text="Tags to add: lowercase a-z, digits and hyphens, 1 to 32 characters; "
            "an issue has at most 20.",
        )
        remove = TagList(required=False, default=tuple, help_text="Tags to remove.")

    input_serializer = TagInput

    @command_schema("tag_issue", "Add and remove tags", TagInput)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.TagIssue(
            issue_id=issue_id,
            add=given["add"],
            remove=given["remove"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class MergeIssueApi(IssueCommandApi):
    class MergeInput(serializers.Serializer):
        into = text(100, help_text="The issue to merge into: its id or reference (HD-1042).")

    input_serializer = MergeInput

    @command_schema(
        "merge_issue",
        "Merge this duplicate into another issue (this one closes); answers this issue",
        MergeInput,
    )
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.MergeIssue(
            issue_id=issue_id,
            into=given["into"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class LinkIssuesApi(IssueCommandApi):
    success_status = status.HTTP_201_CREATED

    class LinkInput(serializers.Serializer):
        other = text(100, help_text="The other issue: its id or reference (HD-1042).")
        kind = serializers.ChoiceField(choices=LINK_KINDS, default=LinkKind.RELATED.value)

    input_serializer = LinkInput

    @command_schema("link_issues", "Link a related issue (both ways)", LinkInput, 201)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.LinkIssues(
            issue_id=issue_id,
            other=given["other"],
            kind=given["kind"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class UnlinkIssuesApi(ApiView):
    @removal_schema(
        "unlink_issues",
        "Remove the link between two issues (both ways)",
        OpenApiParameter(
            "other",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The linked issue: its id or reference.",
        ),
        "Unlinked.",
        "`not_linked`: the issues are not linked.",
    )
    def delete(self, request, issue_id: str, other: str):
        message_bus().handle(
            commands.UnlinkIssues(
                issue_id=parse_issue_id(issue_id),
                other=other,
                actor=Actor.staff(request.user.username),
                expected_version=expected_version(request),
            )
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
