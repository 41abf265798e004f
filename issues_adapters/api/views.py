"""The REST API (CONTRACT.md section 3). A view is an adapter and nothing more.

Each operation: an input serializer checks the shape of the request, the view builds a command
and hands it to the message bus, and the issue - as the command saved it (`saved_issues()`),
or read through `issue_queries()` - is shaped by an output serializer. Rules live in the
domain; errors become HTTP in errors.py.

- Concurrency: issue reads and command responses carry `ETag: "<version>"`; a command with
  `If-Match: "<version>"` runs only on that version (else 412, nothing changed). `If-Match: *`
  or none: no check. A malformed If-Match (not one quoted version number) is a 400 under
  `If-Match`: we cannot tell which version the client meant, so we refuse rather than guess.
- Every POST but the token request honours `Idempotency-Key` (idempotency.py). The token
  request is idempotent by nature (the same user always gets the same token) and we would
  rather not store passwords' fingerprints or tokens in another table.
- `POST /api/auth/token/` gives a token to active staff only; anybody else, wrong password,
  inactive or not staff, gets the same 400, so the endpoint does not reveal which accounts
  exist. Failed logins lock the account and the address out for a while, here as on the login
  page (429; accounts/failed_logins.py).
- GET and POST on `/api/issues/` share one URL, hence one view class with two operations,
  each with its own serializer, permission and throttle.
"""

import functools
import re
import uuid

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from issues_adapters import languages
from issues_adapters.accounts import failed_logins
from issues_adapters.api.idempotency import (
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    LEASE_SECONDS,
    REPLAYED_HEADER,
    idempotent,
)
from issues_adapters.api.parsers import NestingLimitedJSONParser
from issues_adapters.api.permissions import IsActiveStaff
from issues_adapters.api.serializers import (
    VALIDATION_ERROR_SCHEMA,
    ErrorOutput,
    EventOutput,
    IssueOutput,
    IssuePageOutput,
    TokenOutput,
    issue_detail_data,
    issue_page_data,
    issue_url,
)
from issues_adapters.api.throttling import AnonymousReportThrottle, TokenRequestThrottle
from issues_adapters.api.time_travel import AS_OF, as_of_response
from issues_adapters.attachments.uploads import discarded_unless_kept, limit_uploads, uploaded
from issues_adapters.persistence.unit_of_work import saved_issues
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain import commands
from issues_domain.errors import IssueNotFound
from issues_domain.subject import SUBJECT_MAX_LENGTH
from issues_domain.values import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RESOLUTION_MAX_LENGTH,
    Actor,
    IssueStatus,
    Priority,
    Visibility,
)
from issues_service.queries import DEFAULT_ORDERING, QUEUE_ORDERINGS, IssueDetail, QueueFilters

PRIORITIES = [p.value for p in Priority]
_IF_MATCH = re.compile(r'^\s*"(\d{1,9})"\s*$')

# -- documentation helpers ------------------------------------------------------------------

ISSUE_ID = OpenApiParameter(
    "issue_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The issue's id."
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='The ETag you read, e.g. `"3"`: act only if the issue is still at that '
    "version, else 412 and nothing changes. `*` or none: no check. Malformed: 400.",
)
KEY_IN_USE = (
    "`idempotency_key_in_use`: a request with this Idempotency-Key is still running, or "
    f"crashed mid-request less than {LEASE_SECONDS} seconds ago; retry after a moment for "
    "the real answer."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {
        "type": "string",
        "minLength": 1,
        "maxLength": KEY_MAX_LENGTH,
        "pattern": f"^{KEY_PATTERN}$",
    },
    OpenApiParameter.HEADER,
    description=f"1 to {KEY_MAX_LENGTH} visible ASCII characters (no spaces), best a random "
    "UUID; anything else is a 400. It makes retries safe: the same key from the same caller "
    "gets the first response again (`Idempotent-Replayed: true`) and executes nothing; with a "
    "different request, 422. While the first request still runs, and for up to "
    f"{LEASE_SECONDS} seconds after it crashed mid-request, 409 `idempotency_key_in_use`: "
    "retry later. Keys expire after 24 hours.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    description='The issue\'s version, e.g. `"3"`: send it back in If-Match.',
    response=[200, 201],
)
REPLAYED = OpenApiParameter(
    REPLAYED_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="`true` when this is the stored response to an earlier request with the "
    "same Idempotency-Key.",
    response=True,
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorOutput, description=description)


BAD_REQUEST = OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="Invalid input.")
STAFF_ERRORS = {
    401: _error("Not authenticated (no or bad credentials, or an inactive account)."),
    403: _error("Authenticated, but not active staff."),
}
IDEMPOTENCY_ERRORS = {
    409: _error(
        "Refused by the issue's state (e.g. `issue_already_resolved`); `concurrent_update` "
        f"when others kept changing it (retry); or {KEY_IN_USE}"
    ),
    415: _error("The body is not JSON."),
    422: _error("`idempotency_key_reused`: this key was used for a different request."),
}
COMMAND_ERRORS = {
    400: BAD_REQUEST,
    **STAFF_ERRORS,
    404: _error("No such issue."),
    **IDEMPOTENCY_ERRORS,
    412: _error("`stale_version`: If-Match is not the current version; ETag has the current."),
}


# -- plumbing -----------------------------------------------------------------------------


class ApiView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsActiveStaff]
    parser_classes = [NestingLimitedJSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes: list = []

    def answering_errors(self, action, *args, **kwargs) -> Response:
        """The action's response, or its error as a response (so that it can be stored)."""
        try:
            return action(*args, **kwargs)
        except Exception as error:
            return self.handle_exception(error)


class AcceptsFiles:
    """A view whose POST may be `multipart/form-data`: its fields plus `files`, streamed to
    storage under the upload limits (uploads.py), which must be in place before anything
    (the session's CSRF check, say) reads the body."""

    parser_classes = [NestingLimitedJSONParser, MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        self.uploads = limit_uploads(request)
        return super().initialize_request(request, *args, **kwargs)

    def stored_files(self, request) -> tuple:
        return uploaded(request, self.uploads)

    def fields(self, serializer_class: type[serializers.Serializer], request) -> dict:
        """The fields, validated; but past an upload limit the parser stopped reading the body,
        so fields sent after the files are missing: the limit's refusal answers instead."""
        data = request.data
        if self.uploads.refusal is not None:
            uploaded(request, self.uploads)  # raises it
        return validated(serializer_class, data)


def parse_issue_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise IssueNotFound() from None


def expected_version(request) -> int | None:
    value = request.headers.get("If-Match")
    if value is None or value.strip() == "*":
        return None
    match = _IF_MATCH.match(value)
    if match is None:
        raise serializers.ValidationError(
            {"If-Match": ['Send one ETag exactly as you received it, e.g. "3".']}
        )
    return int(match.group(1))


def issue_response(request, issue_id: uuid.UUID, *, status_code=200, headers=None) -> Response:
    issue = issue_queries().issue(issue_id)
    if issue is None:
        raise IssueNotFound()
    return detail_response(request, issue, status_code=status_code, headers=headers)


def handle_and_answer(request, command, *, status_code=200, headers=None) -> Response:
    """Run the command; answer with the issue as the command saved it (no read back)."""
    with saved_issues() as saved:
        issue_id = message_bus().handle(command)
    issue = saved.get(issue_id)
    if issue is None:  # the command changed nothing: read what is there
        return issue_response(request, issue_id, status_code=status_code, headers=headers)
    return detail_response(request, issue, status_code=status_code, headers=headers)


def detail_response(request, issue: IssueDetail, *, status_code=200, headers=None) -> Response:
    return Response(
        issue_detail_data(issue, request),
        status=status_code,
        headers={"ETag": f'"{issue.version}"', **(headers or {})},
    )


class TextField(serializers.CharField):
    """A JSON string and nothing else: DRF's CharField would take 42 and store "42", which
    the schema (type: string) promises to refuse."""

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def text(max_length: int, **kwargs) -> serializers.CharField:
    return TextField(max_length=max_length, **kwargs)


class ChoiceWithDefault(serializers.ChoiceField):
    """A choice with a default that a multipart form field sent empty does not fall back to:
    DRF reads an empty form field as one left out, but the schema allows only the choices."""

    def get_value(self, dictionary):
        if dictionary.get(self.field_name) == "":
            return ""  # refused below as no valid choice
        return super().get_value(dictionary)


@functools.cache
def _shape(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    return serializer_class()


def validated(serializer_class: type[serializers.Serializer], data) -> dict:
    """`data` checked by the input serializer: its validated data, or ValidationError (400).

    The same as `s = serializer_class(data=data); s.is_valid(raise_exception=True)`, with one
    instance per class: DRF deep-copies every declared field for each new serializer, which
    cost the report a tenth of its CPU. `run_validation` keeps no state on the instance, and
    input serializers take no context, so threads can share it.
    """
    return _shape(serializer_class).run_validation(data)


# -- the collection: report (anyone) and the queue (staff) ------------------------------


class PageSize(serializers.IntegerField):
    """A number when given: `?page_size=` is a 400, as the schema's integer type says, rather
    than quietly the default page."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, serializers.empty)


class QueueQuery(serializers.Serializer):
    """Every parameter is optional; an empty filter (`?status=`, as a form sends it) is absent."""

    status = text(
        100,
        required=False,
        allow_blank=True,
        help_text="One status or several separated by commas: "
        + ", ".join(s.value for s in IssueStatus),
    )
    category = text(
        50,
        required=False,
        allow_blank=True,
        help_text="A category slug, or `none`: issues nobody has given a category yet.",
    )
    priority = serializers.ChoiceField(
        choices=[*PRIORITIES, "none"],
        required=False,
        allow_blank=True,
        help_text="A priority, or `none`: issues nobody has given a priority yet.",
    )
    assignee = text(
        150, required=False, allow_blank=True, help_text="A staff username, or `none`: unassigned."
    )
    q = text(
        200,
        required=False,
        allow_blank=True,
        help_text="Text in reference, reporter, subject, description.",
    )
    tag = text(32, required=False, allow_blank=True, help_text="Only issues with this tag.")
    ordering = serializers.ChoiceField(
        choices=list(QUEUE_ORDERINGS), required=False, allow_blank=True
    )
    cursor = text(
        500, required=False, allow_blank=True, help_text="From a page's `next` or `previous` link."
    )
    page_size = PageSize(required=False, min_value=1, max_value=100, default=25)

    def validate_status(self, value: str) -> str:
        statuses = [part.strip() for part in value.split(",") if part.strip()]
        if value.strip() and (
            not statuses or any(s not in IssueStatus._value2member_map_ for s in statuses)
        ):
            choices = ", ".join(s.value for s in IssueStatus)
            raise serializers.ValidationError(f"Use one or more of: {choices}.")
        return ",".join(statuses)

    @staticmethod
    def filters(checked: dict) -> QueueFilters:
        given = {name: value for name, value in checked.items() if value != ""}
        return QueueFilters(**{"ordering": DEFAULT_ORDERING} | given)


class ReportInput(serializers.Serializer):
    reporter_name = text(NAME_MAX_LENGTH)
    reporter_email = text(EMAIL_MAX_LENGTH)
    subject = text(
        SUBJECT_MAX_LENGTH,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="One line. Absent or blank: the description's first line, cut at 120.",
    )
    description = text(DESCRIPTION_MAX_LENGTH)
    category = text(50, required=False, allow_null=True, allow_blank=True)
    priority = serializers.ChoiceField(
        choices=PRIORITIES, required=False, allow_null=True, allow_blank=True
    )
    language = text(
        35,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The reporter's language tag (e.g. `de`); their mail speaks it. "
        "None given: the request's Accept-Language, else English.",
    )

    def validate_language(self, value):
        if not value:
            return None
        found = languages.supported(value)
        if found is None:
            choices = ", ".join(code for code, _name in settings.LANGUAGES)
            raise serializers.ValidationError(
                _("We do not speak this language; choose one of: %(choices)s.")
                % {"choices": choices}
            )
        return found


class IssuesApi(AcceptsFiles, ApiView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.request.method == "POST":
            return [AnonymousReportThrottle()]
        return []

    @extend_schema(
        operation_id="list_issues",
        summary="The queue: issues filtered, searched, sorted, a page at a time",
        parameters=[QueueQuery],
        responses={200: IssuePageOutput, 400: BAD_REQUEST, **STAFF_ERRORS},
    )
    def get(self, request):
        filters = QueueQuery.filters(validated(QueueQuery, request.query_params))
        page = issue_queries().queue(filters)
        here = request.build_absolute_uri()
        return Response(
            issue_page_data(
                page.issues,
                page.next_cursor and replace_query_param(here, "cursor", page.next_cursor),
                page.previous_cursor and replace_query_param(here, "cursor", page.previous_cursor),
                request,
            )
        )

    @extend_schema(
        operation_id="report_issue",
        summary="Report an issue (anyone; anonymous callers are throttled)",
        request=ReportInput,
        parameters=[IDEMPOTENCY_KEY, ETAG, REPLAYED],
        responses={
            201: OpenApiResponse(IssueOutput, description="Reported; Location is its URL."),
            400: BAD_REQUEST,
            **IDEMPOTENCY_ERRORS,
            409: _error(KEY_IN_USE),
            429: _error("Too many reports from this address; see Retry-After."),
        },
    )
    def post(self, request):
        return idempotent(request, lambda: self.answering_errors(self.report, request))

    def report(self, request) -> Response:
        given = self.fields(ReportInput, request)
        given["language"] = given.get("language") or languages.spoken(get_language())
        attachments = self.stored_files(request)
        with discarded_unless_kept(attachments):
            command = commands.ReportIssue(**given, attachments=attachments)
            location = issue_url(command.issue_id, request)
            return handle_and_answer(
                request,
                command,
                status_code=status.HTTP_201_CREATED,
                headers={"Location": location},
            )


# -- one issue ----------------------------------------------------------------------------


class IssueDetailApi(ApiView):
    @extend_schema(
        operation_id="get_issue",
        summary="One issue with its comments",
        parameters=[ISSUE_ID, ETAG, AS_OF],
        responses={
            200: IssueOutput,
            400: BAD_REQUEST,
            **STAFF_ERRORS,
            404: _error("No such issue (or not reported yet at `as_of`)."),
        },
    )
    def get(self, request, issue_id: str):
        if "as_of" in request.query_params:
            return as_of_response(request, parse_issue_id(issue_id))
        return issue_response(request, parse_issue_id(issue_id))


class IssueEventsApi(ApiView):
    @extend_schema(
        operation_id="list_issue_events",
        summary="The issue's history: its events, oldest first",
        parameters=[ISSUE_ID],
        responses={200: EventOutput(many=True), **STAFF_ERRORS, 404: _error("No such issue.")},
    )
    def get(self, request, issue_id: str):
        issue_id = parse_issue_id(issue_id)
        events = issue_queries().history(issue_id)
        if not events and issue_queries().issue(issue_id) is None:
            raise IssueNotFound()
        return Response(EventOutput(events, many=True).data)


# -- commands -----------------------------------------------------------------------------


class IssueCommandApi(ApiView):
    """POST /api/issues/{id}/<command>/: subclasses say what input they take and which
    command they build; the rest (If-Match, Idempotency-Key, the answer) is the same."""

    success_status = status.HTTP_200_OK
    input_serializer: type[serializers.Serializer] = serializers.Serializer

    def command(self, issue_id, given: dict, username: str, expected: int | None):
        raise NotImplementedError

    def post(self, request, issue_id: str):
        return idempotent(request, lambda: self.answering_errors(self.act, request, issue_id))

    def stored_files(self, request) -> tuple:
        return ()  # AcceptsFiles stores them

    def fields(self, serializer_class: type[serializers.Serializer], request) -> dict:
        return validated(serializer_class, request.data)

    def act(self, request, issue_id: str) -> Response:
        issue_id = parse_issue_id(issue_id)
        expected = expected_version(request)
        given = self.fields(self.input_serializer, request)
        attachments = self.stored_files(request)
        with discarded_unless_kept(attachments):
            command = self.command(
                issue_id, given | {"attachments": attachments}, request.user.username, expected
            )
            return handle_and_answer(request, command, status_code=self.success_status)


def command_schema(operation_id: str, summary: str, request, success_status: int = 200):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=request,
        parameters=[ISSUE_ID, IF_MATCH, IDEMPOTENCY_KEY, ETAG, REPLAYED],
        responses={success_status: IssueOutput, **COMMAND_ERRORS},
    )


def removal_schema(
    operation_id: str, summary: str, what: OpenApiParameter, done: str, conflict: str
):
    """A DELETE of something on an issue (a watcher, a link): 204, or the command's errors."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        parameters=[ISSUE_ID, what, IF_MATCH],
        request=None,
        responses={
            204: OpenApiResponse(description=done),
            400: COMMAND_ERRORS[400],
            **STAFF_ERRORS,
            404: _error("No such issue."),
            409: _error(conflict),
            412: COMMAND_ERRORS[412],
        },
    )


class TriageIssueApi(IssueCommandApi):
    class TriageInput(serializers.Serializer):
        category = text(50)
        priority = serializers.ChoiceField(choices=PRIORITIES)

    input_serializer = TriageInput

    @command_schema("triage_issue", "Set category and priority", TriageInput)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.TriageIssue(
            issue_id=issue_id,
            category=given["category"],
            priority=given["priority"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class AssignIssueApi(IssueCommandApi):
    class AssignInput(serializers.Serializer):
        assignee = text(150, help_text="An active staff member's username.")

    input_serializer = AssignInput

    @command_schema("assign_issue", "Assign to a member of staff", AssignInput)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.AssignIssue(
            issue_id=issue_id,
            assignee=given["assignee"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class PickIssueApi(IssueCommandApi):
    @command_schema("pick_issue", "Take an unassigned issue yourself", None)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.PickIssue(issue_id=issue_id, engineer=username, expected_version=expected)


class CommentOnIssueApi(AcceptsFiles, IssueCommandApi):
    success_status = status.HTTP_201_CREATED

    class CommentInput(serializers.Serializer):
        body = text(COMMENT_MAX_LENGTH)
        visibility = ChoiceWithDefault(
            choices=[v.value for v in Visibility],
            default=Visibility.PUBLIC.value,
            help_text="`internal` notes are never shown or mailed to the reporter.",
        )

    input_serializer = CommentInput

    @command_schema(
        "comment_on_issue", "Add a public comment or an internal note", CommentInput, 201
    )
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.CommentOnIssue(
            issue_id=issue_id,
            author=Actor.staff(username),
            body=given["body"],
            visibility=given["visibility"],
            attachments=given["attachments"],
            expected_version=expected,
        )


class ResolveIssueApi(IssueCommandApi):
    class ResolveInput(serializers.Serializer):
        resolution = text(RESOLUTION_MAX_LENGTH)

    input_serializer = ResolveInput

    @command_schema("resolve_issue", "Mark as resolved", ResolveInput)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.MarkIssueAsResolved(
            issue_id=issue_id,
            resolution=given["resolution"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class ReopenIssueApi(IssueCommandApi):
    class ReopenInput(serializers.Serializer):
        reason = text(REASON_MAX_LENGTH)

    input_serializer = ReopenInput

    @command_schema("reopen_issue", "Reopen a resolved issue", ReopenInput)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.ReopenIssue(
            issue_id=issue_id,
            reason=given["reason"],
            actor=Actor.staff(username),
            expected_version=expected,
        )


class CloseIssueApi(IssueCommandApi):
    @command_schema("close_issue", "Close a resolved issue for good", None)
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.CloseIssue(
            issue_id=issue_id, actor=Actor.staff(username), expected_version=expected
        )


class AwaitReporterApi(AcceptsFiles, IssueCommandApi):
    class AwaitReporterInput(serializers.Serializer):
        comment = text(
            COMMENT_MAX_LENGTH, help_text="The public comment to the reporter: what we ask."
        )

    input_serializer = AwaitReporterInput

    @command_schema(
        "await_reporter", "Ask the reporter and wait for their answer", AwaitReporterInput
    )
    def post(self, request, issue_id: str):
        return super().post(request, issue_id)

    def command(self, issue_id, given, username, expected):
        return commands.AwaitReporter(
            issue_id=issue_id,
            comment=given["comment"],
            actor=Actor.staff(username),
            attachments=given["attachments"],
            expected_version=expected,
        )


# -- tokens -------------------------------------------------------------------------------


class ObtainTokenApi(ApiView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenRequestThrottle]

    class TokenInput(serializers.Serializer):
        username = text(150)
        password = text(128, trim_whitespace=False, style={"input_type": "password"})

    @extend_schema(
        operation_id="obtain_token",
        summary="Exchange a staff member's username and password for an API token",
        description="Send it as `Authorization: Token <token>`. Only active staff get one; "
        "any other account, or wrong credentials, get the same 400.",
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: BAD_REQUEST,
            415: _error("The body is not JSON."),
            429: _error(
                "`throttled`: too many token requests from this address, or too many failed "
                "logins for this account or from this address (refused even with the right "
                "password until the lockout ends); see Retry-After."
            ),
        },
        auth=[],
    )
    def post(self, request):
        credentials = validated(self.TokenInput, request.data)
        if failed_logins.locked_out(request, credentials["username"]):
            raise exceptions.Throttled(
                wait=failed_logins.period_seconds(), detail=failed_logins.refusal_message()
            )
        user = authenticate(request=request._request, **credentials)
        if user is None or not (user.is_active and user.is_staff):
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: ["Unable to log in with these credentials."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response(TokenOutput({"token": token.key}).data)
