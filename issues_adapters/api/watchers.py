"""Watchers over the API: copy an address on the issue's public activity, or stop copying it."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response

from issues_adapters.api.idempotency import idempotent
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
    @removal_schema(
        "remove_watcher",
        "Stop copying an address",
        OpenApiParameter("email", OpenApiTypes.STR, OpenApiParameter.PATH),
        "Removed.",
        "`not_watching`, or the issue is closed.",
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
