"""Watchers over the API: copy an address on the issue's public activity, or stop copying it."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from issues_adapters.api.idempotency import idempotent
from issues_adapters.api.views import (
    COMMAND_ERRORS,
    IF_MATCH,
    ISSUE_ID,
    STAFF_ERRORS,
    ApiView,
    IssueCommandApi,
    _error,
    command_schema,
    expected_version,
    parse_issue_id,
    text,
)
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import EMAIL_MAX_LENGTH, Actor


class AddWatcherApi(IssueCommandApi):
    success_status = status.HTTP_201_CREATED

    class WatcherInput(serializers.Serializer):
        email = text(EMAIL_MAX_LENGTH, help_text="They get public replies and the resolution.")

    input_serializer = WatcherInput

    @command_schema("add_watcher", "Copy an address on public activity", WatcherInput, 201)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.AddWatcher(
            issue_id=issue_id,
            email=given["email"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class RemoveWatcherApi(ApiView):
    @extend_schema(
        operation_id="remove_watcher",
        summary="Stop copying an address",
        parameters=[
            ISSUE_ID,
            OpenApiParameter("email", OpenApiTypes.STR, OpenApiParameter.PATH),
            IF_MATCH,
        ],
        request=None,
        responses={
            204: OpenApiResponse(description="Removed."),
            400: COMMAND_ERRORS[400],
            **STAFF_ERRORS,
            404: _error("No such issue."),
            409: _error("`not_watching`, or the issue is closed."),
            412: COMMAND_ERRORS[412],
        },
    )
    def delete(self, request, issue_id: str, email: str):
        return idempotent(
            request, lambda: self.answering_errors(self.act, request, issue_id, email)
        )

    def act(self, request, issue_id: str, email: str) -> Response:
        message_bus().handle(
            commands.RemoveWatcher(
                issue_id=parse_issue_id(issue_id),
                email=email,
                actor=Actor.staff(request.user.username),
                expected_version=expected_version(request),
            )
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
