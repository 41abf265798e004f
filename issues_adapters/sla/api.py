"""GET/POST /api/sla-policies/ and PUT /api/sla-policies/{id}/: staff read, admins change.

The serializers check the shape only; what makes a policy (targets above zero, a calendar with
working hours, holidays that do not overlap, a known time zone and category) is the domain's,
refused as 400 with the field named.
"""

from datetime import time

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from issues_adapters.api.views import BAD_REQUEST, STAFF_ERRORS, ApiView, _error
from issues_adapters.sla import editing
from issues_adapters.sla.models import SlaPolicyRecord
from issues_adapters.texts import translated_errors
from issues_domain.errors import InvalidInput
from issues_domain.values import Priority


class StaffReadAdminsChange(BasePermission):
    message = _("Only helpdesk admins may change SLA policies.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or user.is_superuser


class HolidaySerializer(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class CalendarSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    time_zone = serializers.CharField(max_length=64)
    working_days = serializers.ListField(
        child=serializers.IntegerField(), max_length=7, required=False, default=list
    )
    opens_at = serializers.TimeField(required=False, default=time(9))
    closes_at = serializers.TimeField(required=False, default=time(17))
    round_the_clock = serializers.BooleanField(required=False, default=False)
    holiday_country = serializers.CharField(
        max_length=8,
        required=False,
        allow_blank=True,
        default="",
        help_text="Also the public holidays of this country (ISO 3166 code, e.g. DE).",
    )
    holidays = HolidaySerializer(many=True, required=False, default=list, max_length=400)

    def validate_holiday_country(self, value: str) -> str:
        return value.strip().upper()  # "de" is Germany as "DE" is; the holidays know "DE" only


class PolicySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    priority = serializers.ChoiceField(
        choices=[p.value for p in Priority], required=False, allow_null=True, default=None
    )
    category = serializers.CharField(max_length=50, required=False, allow_null=True, default=None)
    first_response_minutes = serializers.IntegerField(max_value=10_000_000)
    resolution_minutes = serializers.IntegerField(max_value=10_000_000)
    calendar = CalendarSerializer()


class PoliciesApi(ApiView):
    permission_classes = [StaffReadAdminsChange]

    @extend_schema(
        operation_id="list_sla_policies",
        summary="Every SLA policy with its business-hours calendar",
        responses={200: PolicySerializer(many=True), **STAFF_ERRORS},
    )
    def get(self, request):
        records = SlaPolicyRecord.objects.select_related("calendar")
        return Response([editing.as_data(record) for record in records])

    @extend_schema(
        operation_id="create_sla_policy",
        summary="Add an SLA policy (admins)",
        request=PolicySerializer,
        responses={
            201: PolicySerializer,
            400: BAD_REQUEST,
            **STAFF_ERRORS,
            409: _error("Not used; listed for the shape every POST shares."),
            415: _error("The body is not JSON."),
            422: _error("Not used; listed for the shape every POST shares."),
        },
    )
    def post(self, request):
        given = PolicySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if SlaPolicyRecord.objects.filter(name=given.validated_data["name"].strip()).exists():
            raise serializers.ValidationError({"name": [_("A policy has this name already.")]})
        record = _saved(given.validated_data)
        return Response(editing.as_data(record), status=status.HTTP_201_CREATED)


class PolicyApi(ApiView):
    permission_classes = [StaffReadAdminsChange]

    @extend_schema(
        operation_id="change_sla_policy",
        summary="Change an SLA policy (admins); issues keep the targets they were given",
        request=PolicySerializer,
        responses={
            200: PolicySerializer,
            400: BAD_REQUEST,
            **STAFF_ERRORS,
            404: _error("No such policy."),
        },
    )
    def put(self, request, policy_id: int):
        record = SlaPolicyRecord.objects.filter(id=policy_id).first()
        if record is None:
            return Response(
                {"code": "policy_not_found", "detail": _("There is no such SLA policy.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        given = PolicySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        name = given.validated_data["name"].strip()
        if SlaPolicyRecord.objects.filter(name=name).exclude(id=record.id).exists():
            raise serializers.ValidationError({"name": [_("A policy has this name already.")]})
        return Response(editing.as_data(_saved(given.validated_data, record)))


def _saved(data: dict, record: SlaPolicyRecord | None = None) -> SlaPolicyRecord:
    """The saved policy, or a 400 with the calendar's errors nested under `calendar`, as the
    calendar serializer's own are."""
    try:
        return editing.save(data, record)
    except InvalidInput as error:
        errors = dict(error.errors)
        calendar = errors.pop("calendar", None)
        shaped = translated_errors(errors)
        if calendar:
            shaped["calendar"] = translated_errors(calendar)
        raise serializers.ValidationError(shaped) from None
