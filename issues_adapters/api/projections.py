"""The status panel over HTTP: GET /api/projections/, POST /api/projections/{name}/rebuild/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from issues_adapters.api.views import BAD_REQUEST, STAFF_ERRORS, ApiView, _error
from issues_adapters.eventing import rebuilds
from issues_adapters.eventing.status import handler_statuses
from issues_adapters.wiring import mail_handler_names, message_bus, read_models


class IsAdmin(BasePermission):
    message = "Only helpdesk admins may start a rebuild."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


REBUILD_STATUSES = ["running", "done", "failed"]
HANDLER_KINDS = ["read model", "mail", "handler"]


class RebuildOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=REBUILD_STATUSES)
    events_done = serializers.IntegerField()
    events_total = serializers.IntegerField()
    percent = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_blank=True)


class HandlerStatusOutput(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=HANDLER_KINDS)
    position = serializers.IntegerField(help_text="The last event it has taken in.")
    head = serializers.IntegerField(help_text="The last event recorded.")
    lag_events = serializers.IntegerField(help_text="Events recorded since its position.")
    lag_seconds = serializers.FloatField(help_text="Age of the first event it has not taken.")
    undelivered = serializers.IntegerField(help_text="Deliveries waiting for a retry or sent.")
    parked = serializers.IntegerField(help_text="Deliveries that gave up; staff retry them.")
    last_error = serializers.CharField(allow_blank=True)
    last_error_at = serializers.DateTimeField(allow_null=True)
    rebuild = RebuildOutput(allow_null=True, help_text="The latest rebuild, read models only.")


class ProjectionsOutput(serializers.Serializer):
    head = serializers.IntegerField()
    handlers = HandlerStatusOutput(many=True)


class ProjectionsApi(ApiView):
    @extend_schema(
        operation_id="list_projections",
        summary="Every event handler: its position, lag, undelivered and parked events, rebuild",
        responses={200: ProjectionsOutput, **STAFF_ERRORS},
    )
    def get(self, request):
        handlers = handler_statuses(message_bus(), read_models())
        return Response(
            {
                "head": handlers[0].head if handlers else 0,
                "handlers": [handler.as_json() for handler in handlers],
            }
        )


class RebuildProjectionApi(ApiView):
    permission_classes = [IsAdmin]

    @extend_schema(
        operation_id="rebuild_projection",
        summary="Start rebuilding a read model from the event log (admins)",
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH)],
        request=None,
        responses={
            202: RebuildOutput,
            400: BAD_REQUEST,
            401: STAFF_ERRORS[401],
            403: _error("Authenticated, but not an admin."),
            404: _error("`unknown_read_model`: no read model has this name."),
            409: _error(
                "`rebuild_already_running`, or `handler_sends_mail`: replaying events never "
                "sends mail, so mail handlers are not rebuilt."
            ),
            415: _error("The body is not JSON."),
            422: _error("Not used; listed for the shape every POST shares."),
        },
    )
    def post(self, request, name: str):
        # The body says nothing, but it is parsed like every POST's: malformed or deeply
        # nested JSON is a 400 and another content type a 415, before anything starts.
        request.data  # noqa: B018
        known = read_models()
        try:
            started = rebuilds.start(
                name, known, mail_handler_names(), requested_by=request.user.get_username()
            )
        except rebuilds.RebuildRefused as refused:
            code = (
                status.HTTP_404_NOT_FOUND
                if isinstance(refused, rebuilds.UnknownReadModel)
                else status.HTTP_409_CONFLICT
            )
            return Response({"code": refused.code, "detail": str(refused)}, status=code)
        rebuilds.launch(started, known)
        return Response(
            {
                "id": started.id,
                "status": started.status,
                "events_done": started.events_done,
                "events_total": started.events_total,
                "percent": 0,
                "started_at": started.started_at,
                "finished_at": started.finished_at,
                "error": started.error,
            },
            status=status.HTTP_202_ACCEPTED,
        )
