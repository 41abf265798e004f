"""Canned replies over the API: list, create, change. The placeholder rule is the domain's
(issues_domain.canned_replies): an unknown `{placeholder}` is a 400 on `body` naming it."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from issues_adapters.api.idempotency import idempotent
from issues_adapters.api.views import (
    BAD_REQUEST,
    IDEMPOTENCY_ERRORS,
    IDEMPOTENCY_KEY,
    REPLAYED,
    STAFF_ERRORS,
    ApiView,
    _error,
    text,
    validated,
)
from issues_adapters.canned_replies import store
from issues_domain.canned_replies import BODY_MAX_LENGTH, PLACEHOLDERS, TITLE_MAX_LENGTH


class CannedReplyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()


class CannedReplyInput(serializers.Serializer):
    title = text(TITLE_MAX_LENGTH)
    body = text(
        BODY_MAX_LENGTH,
        help_text="May name only these placeholders: "
        + ", ".join("`{" + name + "}`" for name in PLACEHOLDERS),
    )


def _shown(reply: store.StoredReply) -> dict:
    return CannedReplyOutput(reply).data


REPLY_ID = OpenApiParameter(
    "reply_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The canned reply's id."
)


class CannedRepliesApi(ApiView):
    @extend_schema(
        operation_id="list_canned_replies",
        summary="Every canned reply",
        responses={200: CannedReplyOutput(many=True), **STAFF_ERRORS},
    )
    def get(self, request):
        return Response([_shown(reply) for reply in store.all_replies()])

    @extend_schema(
        operation_id="create_canned_reply",
        summary="Keep a new canned reply",
        request=CannedReplyInput,
        parameters=[IDEMPOTENCY_KEY, REPLAYED],
        responses={201: CannedReplyOutput, 400: BAD_REQUEST, **STAFF_ERRORS, **IDEMPOTENCY_ERRORS},
    )
    def post(self, request):
        return idempotent(request, lambda: self.answering_errors(self.create, request))

    def create(self, request) -> Response:
        given = validated(CannedReplyInput, request.data)
        reply = store.create(given["title"], given["body"], by=request.user.username)
        return Response(_shown(reply), status=status.HTTP_201_CREATED)


class CannedReplyApi(ApiView):
    @extend_schema(
        operation_id="change_canned_reply",
        summary="Change a canned reply",
        parameters=[REPLY_ID],
        request=CannedReplyInput,
        responses={
            200: CannedReplyOutput,
            400: BAD_REQUEST,
            **STAFF_ERRORS,
            404: _error("No such canned reply."),
            415: _error("The body is not JSON."),
        },
    )
    def put(self, request, reply_id: int):
        given = validated(CannedReplyInput, request.data)
        try:
            reply = store.change(reply_id, given["title"], given["body"], by=request.user.username)
        except store.CannedReplyNotFound:
            raise exceptions.NotFound("There is no such canned reply.") from None
        return Response(_shown(reply))
