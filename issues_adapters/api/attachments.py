"""Files over the API: attach files to an issue (a comment of files, its words optional), and
download one (staff). Reporting and commenting take files too (views.AcceptsFiles)."""

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from issues_adapters.api.serializers import AttachmentsOutput, attachment_data
from issues_adapters.api.views import (
    COMMAND_ERRORS,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    ISSUE_ID,
    STAFF_ERRORS,
    AcceptsFiles,
    ApiView,
    ChoiceWithDefault,
    IssueCommandApi,
    _error,
    expected_version,
    parse_issue_id,
    text,
)
from issues_adapters.attachments.serving import file_response
from issues_adapters.attachments.uploads import discarded_unless_kept
from issues_adapters.persistence.unit_of_work import saved_issues
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain import commands
from issues_domain.errors import InvalidInput
from issues_domain.texts import Text, gettext_noop
from issues_domain.values import COMMENT_MAX_LENGTH, Actor, Visibility


class FilesFields(serializers.Serializer):
    """What the view validates; the files come through the upload handler."""

    body = text(COMMENT_MAX_LENGTH, required=False, allow_blank=True, default="")
    visibility = ChoiceWithDefault(
        choices=[v.value for v in Visibility],
        default=Visibility.PUBLIC.value,
        help_text="The files take it: `internal` ones are never shown or mailed to the reporter.",
    )


class FilesInput(FilesFields):
    """The body as the schema shows it."""

    files = serializers.ListField(
        child=serializers.FileField(), help_text="One part per file, each named `files`."
    )


class AttachFilesApi(AcceptsFiles, IssueCommandApi):
    @extend_schema(
        operation_id="attach_files",
        summary="Attach files to an issue (multipart/form-data)",
        request={"multipart/form-data": FilesInput},
        parameters=[ISSUE_ID, IF_MATCH, IDEMPOTENCY_KEY],
        responses={201: AttachmentsOutput, **COMMAND_ERRORS},
    )
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def act(self, request, issue_id: str) -> Response:
        issue_id = parse_issue_id(issue_id)
        expected = expected_version(request)
        given = self.fields(FilesFields, request)
        attachments = self.stored_files(request)
        if not attachments:
            raise InvalidInput.on("files", Text(gettext_noop("Attach at least one file.")))
        command = commands.CommentOnIssue(
            issue_id=issue_id,
            author=Actor.staff(request.user.username),
            body=given["body"],
            visibility=given["visibility"],
            attachments=attachments,
            expected_version=expected,
        )
        with discarded_unless_kept(attachments), saved_issues():
            message_bus().handle(command)
        issue = issue_queries().issue(issue_id)
        new = issue.attachments_of(command.comment_id) if issue else []
        return Response(
            {"attachments": [attachment_data(attachment, request) for attachment in new]},
            status=status.HTTP_201_CREATED,
            headers={"ETag": f'"{issue.version}"'} if issue else {},
        )


class AttachmentApi(ApiView):
    @extend_schema(
        operation_id="download_attachment",
        summary="One attachment's bytes (staff)",
        parameters=[
            OpenApiParameter(
                "attachment_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Its id."
            )
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file; `Content-Disposition: attachment` unless an image on "
                "the allow-list (png, jpeg, gif, webp); `X-Content-Type-Options: nosniff`; "
                "`Content-Security-Policy: sandbox`.",
            ),
            **STAFF_ERRORS,
            404: _error("No such file."),
        },
    )
    def get(self, request, attachment_id: str):
        attachment = issue_queries().attachment(_uuid(attachment_id))
        if attachment is None:
            message = _("There is no such file.")
            raise exceptions.NotFound(message, code="attachment_not_found")
        return file_response(attachment)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
