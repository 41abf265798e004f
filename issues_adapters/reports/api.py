"""GET /api/reports/{name}/?from=&to=&group_by=: a report as JSON, or CSV by `Accept`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from issues_adapters.api.views import BAD_REQUEST, STAFF_ERRORS, ApiView, _error
from issues_adapters.reports import tables
from issues_adapters.reports.facts import GROUPINGS
from issues_adapters.reports.period import BadQuestion, period_from
from issues_adapters.reports.queries import REPORTS, Report


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, Report):  # OPTIONS' description: JSON is all it has
            return JSONRenderer().render(data)
        return tables.as_csv(data).encode(self.charset)


class ReportOutput(serializers.Serializer):
    report = serializers.ChoiceField(choices=sorted(REPORTS))
    # "from" is a Python keyword: the field is named in the schema by its source's key.
    to = serializers.DateField()
    group_by = serializers.ChoiceField(choices=GROUPINGS)
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per day (group_by=day) or per group over the whole period.",
    )
    total = serializers.DictField(help_text="The whole period's figures.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields


class ReportApi(ApiView):
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="get_report",
        summary="A report over a period: JSON, or CSV with `Accept: text/csv`",
        parameters=[
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=sorted(REPORTS)),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default: 29 days before `to`)."
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)."),
            OpenApiParameter("group_by", str, enum=list(GROUPINGS), default="day"),
        ],
        responses={
            (200, "application/json"): ReportOutput,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="The rows, then a total row."
            ),
            400: BAD_REQUEST,
            404: _error("A name no route matches (one with a slash in it, say)."),
            **STAFF_ERRORS,
        },
    )
    def get(self, request, name: str):
        # DRF takes an empty ?format= as none given; the schema offers json and csv only.
        if request.query_params.get("format") == "":
            raise BadQuestion({"format": ["Choose json or csv, or leave it out."]})
        if name not in REPORTS:
            raise BadQuestion({"name": [f"Choose one of: {', '.join(sorted(REPORTS))}."]})
        report = REPORTS[name](period_from(request.query_params))
        if isinstance(request.accepted_renderer, CsvRenderer):
            response = Response(report)
            response["Content-Disposition"] = f'attachment; filename="{tables.filename(report)}"'
            return response
        return Response(report.as_data())

    def handle_exception(self, exc):
        # Errors are JSON whatever was asked for, like every other error under /api/.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        if isinstance(exc, BadQuestion):
            return Response(exc.errors, status=400)
        return super().handle_exception(exc)
