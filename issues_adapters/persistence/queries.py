"""The read side over the issue tables: the staff queue, one issue, its history.

The queue pages by key (a cursor), never by OFFSET and never with COUNT(*), so a page costs
the same on the millionth issue as on the first.
"""

import base64
import binascii
import dataclasses
import functools
import json
import uuid
from datetime import datetime

from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.expressions import RawSQL

from issues_adapters.persistence import lookups, text_search
from issues_adapters.persistence.kept_statements import Count, Statement
from issues_adapters.persistence.models import (
    NOT_SET,
    PRIORITY_RANK,
    AttachmentRecord,
    IssueRecord,
    RecordedEvent,
    TagRecord,
    WatcherRecord,
)
from issues_adapters.sla import display as sla_display
from issues_adapters.sla.models import SlaClock
from issues_domain.issue import Issue
from issues_domain.lifecycle import OPEN_STATUSES
from issues_service.queries import (
    DEFAULT_ORDERING,
    QUEUE_ORDERINGS,
    AttachmentView,
    CommentView,
    IssueDetail,
    IssueQueries,
    IssueSummary,
    LinkView,
    QueueFilters,
    QueuePage,
    RecordedEventView,
    StoredAttachment,
)

# Each public ordering is a column plus the primary key, which breaks ties.
_ORDER_COLUMNS = {
    "-reported_at": ("reported_at", True),
    "reported_at": ("reported_at", False),
    "-updated_at": ("updated_at", True),
    "updated_at": ("updated_at", False),
    "-priority": ("priority_rank", True),
    "priority": ("priority_rank", False),
    "reference": ("number", False),
    "-reference": ("number", True),
    "sla_due_at": ("sla_due_at", False),  # an annotation: sla.display.next_deadline
}
_SUMMARY_FIELDS = [
    "id",
    "reference",
    "status",
    "reporter_name",
    "reporter_email",
    "subject",
    "description",
    "category_id",
    "priority",
    "assignee",
    "version",
    "reported_at",
    "updated_at",
    "tags",
]
assert set(_ORDER_COLUMNS) == set(QUEUE_ORDERINGS)
# The priority filter reads priority_rank, the column the open views' indexes are built on.
_RANKS = {priority.value: rank for priority, rank in PRIORITY_RANK.items() if priority}


class InvalidCursor(ValueError):
    pass


class DjangoIssueQueries(IssueQueries):
    def queue(self, filters: QueueFilters) -> QueuePage:
        ordering = _ordering(filters)
        column, descending = _ORDER_COLUMNS[ordering]
        direction, key = _decode_cursor(filters.cursor, ordering)
        backwards = direction == "before"
        n = filters.page_size + 1

        def page_of(walk: bool) -> list[dict]:
            if filters.sla in sla_display.SLA_VIEWS and column in _CLOCK_COLUMNS:
                clocks = _in_sla_view(filters, walk=walk)
                return _clock_page(clocks, column, key, descending != backwards, n)
            if column == "sla_due_at":
                rows = _filtered(IssueRecord.objects.all(), filters, walk=walk)
                few = _searching(filters) and not walk
                running = _may_be_open(filters)
                return _by_deadline(rows, key, backwards, n, few=few, running=running)
            if key is None and not filters.q:
                return _first_page(filters, column, descending).rows()
            rows = _filtered(IssueRecord.objects.all(), filters, walk=walk)
            if key is not None:
                rows = rows.filter(_beyond(column, key, descending=descending != backwards))
            order = [f"-{column}", "-id"] if descending != backwards else [column, "id"]
            return list(rows.order_by(*order).values(*_SUMMARY_FIELDS, column)[:n])

        page = text_search.read_walking(page_of) if _walks(filters) else page_of(False)
        has_more = len(page) > filters.page_size
        page = page[: filters.page_size]
        if backwards:
            page.reverse()
        first, last = (page[0], page[-1]) if page else (None, None)
        more_after = has_more if not backwards else key is not None
        more_before = has_more if backwards else key is not None
        return QueuePage(
            issues=[_summary(row) for row in page],
            next_cursor=_encode_cursor("after", last, ordering) if last and more_after else None,
            previous_cursor=_encode_cursor("before", first, ordering)
            if first and more_before
            else None,
        )

    def issue(
        self, issue_id: uuid.UUID, *, with_comments: bool = True, with_sla: bool = True
    ) -> IssueDetail | None:
        return _detail(id=issue_id, with_sla=with_sla, with_comments=with_comments)

    def issue_by_tracking_token(self, token: str) -> IssueDetail | None:
        if not token:
            return None
        issue = _detail(tracking_token=token)
        if issue is None:
            return None
        public = [comment for comment in issue.comments if comment.visibility == "public"]
        files = [
            attachment for attachment in issue.attachments if attachment.visibility == "public"
        ]
        return dataclasses.replace(issue, comments=public, attachments=files)

    def attachment(self, attachment_id: uuid.UUID) -> StoredAttachment | None:
        row = (
            AttachmentRecord.objects.filter(id=attachment_id)
            .values(*_ATTACHMENT_FIELDS, "issue_id", "issue__tracking_token")
            .first()
        )
        if row is None:
            return None
        token = row.pop("issue__tracking_token")
        return StoredAttachment(**row, tracking_token=token)

    def history(self, issue_id: uuid.UUID) -> list[RecordedEventView]:
        # values(), not model instances: the issue page reads it on every request.
        return [
            RecordedEventView(
                **{name: row[name] for name in _EVENT_FIELDS},
                version=row["issue_version"],
                data={key: value for key, value in row["data"].items() if key != "actor_email"},
            )
            for row in _HISTORY.rows(issue_id)
        ]

    def summaries(self, issue_ids: list[uuid.UUID]) -> list[IssueSummary]:
        found = {
            row["id"]: _summary(row)
            for row in IssueRecord.objects.filter(id__in=issue_ids).values(*_SUMMARY_FIELDS)
        }
        return [found[issue_id] for issue_id in issue_ids if issue_id in found]

    def watchers_of(self, issue_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
        watchers: dict[uuid.UUID, tuple[str, ...]] = {}
        rows = WatcherRecord.objects.filter(issue_id__in=issue_ids).order_by("id")
        for issue_id, email in rows.values_list("issue_id", "email"):
            watchers[issue_id] = (*watchers.get(issue_id, ()), email)
        return watchers

    def matching(self, filters: QueueFilters, at_most: int) -> list[IssueSummary]:
        column, descending = _ORDER_COLUMNS[_ordering(filters)]
        order = [f"-{column}", "-id"] if descending else [column, "id"]
        if column == "sla_due_at":
            order = _BY_DEADLINE

        def rows_of(walk: bool) -> list[dict]:
            rows = _filtered(IssueRecord.objects.all(), filters, walk=walk)
            if column == "sla_due_at":
                rows = rows.annotate(sla_due_at=sla_display.next_deadline())
            return list(rows.order_by(*order).values(*_SUMMARY_FIELDS)[:at_most])

        rows = text_search.read_walking(rows_of) if _walks(filters) else rows_of(False)
        return [_summary(row) for row in rows]

    def count_matching(self, filters: QueueFilters, at_most: int) -> int | None:
        # Not counted where no index holds the issues chosen: counting a search read every
        # issue the words index offered, and an SLA view narrowed by another filter tested up
        # to every clock in the view (overdue and in printing at 1,000,000 issues: 21 ms on
        # SQLite, a page 5.7x its figure at 1,000; bench/queue_page.py).
        if _searching(filters) or _narrows_sla_view(filters):
            return None
        # The count is the same whatever the page and the order: one kept count for them all.
        view = dataclasses.replace(filters, q=None, ordering=DEFAULT_ORDERING, cursor=None)
        return _kept_count(view, at_most).value()


@functools.lru_cache(maxsize=128)
def _kept_count(filters: QueueFilters, at_most: int) -> Count:
    """As _first_page: the queue asks it on every page of a view (compiled once, kept)."""
    return Count(lambda: _matching(filters, at_most))


def _matching(filters: QueueFilters, at_most: int) -> QuerySet:
    if filters.sla in sla_display.SLA_VIEWS:
        return _in_sla_view(filters)[:at_most]
    if _open_issues_with_tag(filters):
        # From the open issues' tag rows alone (index tag_open_issue): joined to the issues
        # for their status, SQLite looked up each of up to 5,000 of the tag's issues, 16 ms
        # at 1,000,000 (PostgreSQL read 501 issues, 1.3 ms); now 0.04 and 0.14 ms
        # (bench/queue_page.py, "filter: tag on-site").
        rows = TagRecord.objects.filter(tag=filters.tag, issue_open=True)
    else:
        rows = _filtered(IssueRecord.objects.all(), filters, in_order=False)
    # Counted by a constant, which needs no column: selecting one, SQLite read each issue's
    # row where the view's index lacks it ("mine, urgent": 1.7 against 0.3 ms for 501 issues
    # at 1,000,000; bench/queue_page.py --sqlite). RawSQL: Django leaves Value(1) out of a
    # sliced count's subquery, which is then invalid SQL.
    return rows.annotate(one=RawSQL("1", ())).values("one")[:at_most]


_EVENT_FIELDS = [
    "position",
    "event_id",
    "event_type",
    "occurred_at",
    "actor_name",
    "actor_role",
    "status",
    "correlation_id",
    "causation_id",
    "schema_version",
]
_HISTORY = Statement(
    lambda issue_id: (
        RecordedEvent.objects.filter(issue_id=issue_id)
        .order_by("position")
        .values(*_EVENT_FIELDS, "issue_version", "data")
    ),
    RecordedEvent._meta.get_field("issue_id"),
)
_COMMENT_FIELDS = ["id", "author_name", "author_role", "body", "visibility", "created_at"]
_ATTACHMENT_FIELDS = [
    "id",
    "comment_id",
    "filename",
    "content_type",
    "size",
    "sha256",
    "visibility",
]


@functools.lru_cache(maxsize=128)
def _first_page(filters: QueueFilters, column: str, descending: bool) -> Statement:
    """A view's first page (no cursor, no search): the same statement every time its filters
    are the same, so compiled once (persistence/kept_statements.py); the views' first pages
    are most of the queue's requests. At most 128 kept, whatever the filters asked for."""
    order = [f"-{column}", "-id"] if descending else [column, "id"]
    return Statement(
        lambda: (
            _filtered(IssueRecord.objects.all(), filters)
            .order_by(*order)
            .values(*_SUMMARY_FIELDS, column)[: filters.page_size + 1]
        )
    )


def _issue_rows(name: str, with_comments: bool) -> Statement:
    """One issue (by `name`'s value) with its comments or, without them, its watchers: a
    LEFT JOIN, a row per comment or watcher."""
    fields = [*_SUMMARY_FIELDS, "resolution", "language", "merged_into", "links"]
    if with_comments:
        fields += [f"comments__{f}" for f in _COMMENT_FIELDS]
        order = ["comments__created_at", "comments__id"]
    else:
        fields.append("watchers__email")
        order = ["watchers__id"]
    return Statement(
        lambda value: IssueRecord.objects.filter(**{name: value}).order_by(*order).values(*fields),
        IssueRecord._meta.get_field(name),
    )


_ISSUE_ROWS = {
    (name, with_comments): _issue_rows(name, with_comments)
    for name in ("id", "tracking_token")
    for with_comments in (True, False)
}
_FILES = Statement(
    lambda issue_id: (
        AttachmentRecord.objects.filter(issue_id=issue_id)
        .order_by("created_at", "id")
        .values(*_ATTACHMENT_FIELDS)
    ),
    AttachmentRecord._meta.get_field("issue"),
)
_WATCHERS = Statement(
    lambda issue_id: (
        WatcherRecord.objects.filter(issue_id=issue_id)
        .order_by("id")
        .values_list("email", flat=True)
    ),
    WatcherRecord._meta.get_field("issue"),
    flat=True,
)


def _detail(*, with_sla: bool = False, with_comments: bool = True, **lookup) -> IssueDetail | None:
    """One issue with its comments (or only its watchers), files and SLA clocks, by one
    lookup (`id=` or `tracking_token=`)."""
    ((name, value),) = lookup.items()
    rows = _ISSUE_ROWS[name, with_comments].rows(value)
    if not rows:
        return None
    first = rows[0]
    attachments = [AttachmentView(**row) for row in _FILES.rows(first["id"])]
    if with_comments:
        watchers = _WATCHERS.rows(first["id"])
    else:
        watchers = [row["watchers__email"] for row in rows if row["watchers__email"] is not None]
    return IssueDetail(
        **_renamed({name: first[name] for name in _SUMMARY_FIELDS}),
        **_organised(first["links"], first["merged_into"]),
        attachments=attachments,
        watchers=watchers,
        resolution=first["resolution"],
        language=first["language"],
        sla=sla_display.api_data(first["id"]) if with_sla else None,
        comments=[
            CommentView(
                **{name: row[f"comments__{name}"] for name in _COMMENT_FIELDS},
                attachments=tuple(a for a in attachments if a.comment_id == row["comments__id"]),
            )
            for row in rows
            if row.get("comments__id") is not None
        ],
    )


def detail_of(issue: Issue, new_events=()) -> IssueDetail:
    """The read side's view of an issue as the domain holds it (just saved by a command, whose
    events are `new_events`)."""
    return IssueDetail(
        id=issue.id,
        reference=issue.reference,
        status=issue.status.value,
        reporter_name=issue.reporter.name,
        reporter_email=issue.reporter.email,
        subject=issue.subject,
        description=issue.description,
        category=issue.category,
        priority=issue.priority.value if issue.priority else None,
        assignee=issue.assignee,
        version=issue.version,
        reported_at=issue.reported_at,
        updated_at=issue.updated_at,
        resolution=issue.resolution,
        language=issue.language,
        tags=tuple(issue.tags),
        **_organised({str(k): v.value for k, v in issue.links.items()}, issue.merged_into),
        sla=sla_display.api_data(issue.id, new_events=new_events),
        watchers=list(issue.watchers),
        comments=[
            CommentView(
                id=comment.id,
                author_name=comment.author.name,
                author_role=comment.author.role.value,
                body=comment.body,
                visibility=comment.visibility.value,
                created_at=comment.created_at,
                attachments=tuple(
                    _views(comment.id, comment.visibility.value, comment.attachments)
                ),
            )
            for comment in sorted(issue.comments, key=lambda c: (c.created_at, c.id))
        ],
        attachments=[
            *_views(None, "public", issue.attachments),
            *(
                view
                for comment in sorted(issue.comments, key=lambda c: (c.created_at, c.id))
                for view in _views(comment.id, comment.visibility.value, comment.attachments)
            ),
        ],
    )


def _organised(links: dict, merged_into) -> dict:
    """Its links with the other issues' references and status, and what it was merged into:
    one more statement, and only for an issue that has either."""
    wanted = {uuid.UUID(other) for other in links or {}} | ({merged_into} if merged_into else set())
    others = {}
    if wanted:
        others = {
            row["id"]: row
            for row in IssueRecord.objects.filter(id__in=wanted).values(
                "id", "reference", "status", "number"
            )
        }
    shown = sorted(
        (others[other] for other in map(uuid.UUID, links or {}) if other in others),
        key=lambda row: row["number"],
    )
    return {
        "links": [
            LinkView(
                issue_id=row["id"],
                reference=row["reference"],
                status=row["status"],
                kind=links[str(row["id"])],
            )
            for row in shown
        ],
        "merged_into": merged_into,
        "merged_into_reference": others[merged_into]["reference"]
        if merged_into in others
        else None,
    }


def _views(comment_id, visibility: str, attachments) -> list[AttachmentView]:
    return [
        AttachmentView(
            id=a.id,
            comment_id=comment_id,
            filename=a.filename,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            visibility=visibility,
        )
        for a in attachments
    ]


def _filtered(
    rows: QuerySet, filters: QueueFilters, *, in_order: bool = True, walk: bool | None = None
) -> QuerySet:
    """The issues `filters` choose; `in_order=False` for counting them, in no order. `walk`:
    whether a search tests each issue read rather than reading the words index's matches
    (by default as _walks chooses; see text_search.read_walking)."""
    if filters.status:
        statuses = filters.status.split(",")
        if lookups.all_statuses(statuses):
            rows = rows.filter(status__in_statuses=statuses)  # SQLite's partial indexes
        else:
            rows = rows.filter(status__in=statuses)
    if filters.category == NOT_SET:  # the issues waiting for triage
        rows = rows.filter(category_id__isnull=True)
    elif filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.priority == NOT_SET:
        rows = rows.filter(priority_rank=PRIORITY_RANK[None])
    elif filters.priority in _RANKS:
        rows = rows.filter(priority_rank=_RANKS[filters.priority])
    elif filters.priority:
        rows = rows.filter(priority=filters.priority)  # no such priority: nothing matches
    if filters.assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee:
        rows = rows.filter(assignee=filters.assignee)
    if filters.tag:
        rows = rows.filter(_tagged(filters, in_order=in_order))
    if _searching(filters):
        walk = _walks(filters) if walk is None else walk
        rows = rows.filter(text_search.holding_text(filters.q.strip(), walk=walk))
    if filters.sla in sla_display.SLA_VIEWS:
        rows = rows.filter(id__in=sla_display.SLA_VIEWS[filters.sla]().values("pk"))
    return rows


def _tagged(filters: QueueFilters, *, in_order: bool) -> Q:
    """The issues holding the filters' tag. A page is read in its order from the view's index,
    each issue tested, rather than every issue with the tag sorted."""
    if connection.vendor == "postgresql" and (in_order or _open_only(filters)):
        # The issue's own list of tags: tested on the row a page's walk reads anyway (rather
        # than a lookup in the tag rows), and counted among open issues from their tags index
        # (migration 0017), reading no more issues than it counts. At 1,000,000 issues, "open,
        # tag on-site": the page 2.4 to 0.7 ms of SQL, the count, which read and hashed all
        # the tag's 20,000 rows, 7.6 to 0.9 ms (bench/queue_page.py, "filter: tag on-site").
        return Q(tags__contains=[filters.tag])
    if in_order:
        return Q(Exists(TagRecord.objects.filter(issue=OuterRef("pk"), tag=filters.tag)))
    # Counted from the tag's rows: SQLite otherwise read every open issue by status, each
    # looked up in the table (2.5 s at 1,000,000 issues; bench/queue_page.py --sqlite); among
    # open issues, from the open issues' tag rows, so that only those are looked up.
    if _open_only(filters):
        return Q(tag_rows__tag=filters.tag, tag_rows__issue_open=True)
    return Q(tag_rows__tag=filters.tag)


_OPEN_VALUES = {str(open_status) for open_status in OPEN_STATUSES}  # as in filters.status


def _statuses(filters: QueueFilters) -> set[str]:
    """The statuses the filters choose; none chosen: every status."""
    return set(filters.status.split(",")) if filters.status else set()


def _may_be_open(filters: QueueFilters) -> bool:
    statuses = _statuses(filters)
    return not statuses or bool(statuses & _OPEN_VALUES)


def _open_only(filters: QueueFilters) -> bool:
    statuses = _statuses(filters)
    return bool(statuses) and statuses <= _OPEN_VALUES


def _open_issues_with_tag(filters: QueueFilters) -> bool:
    """Whether the filters choose every open issue with a tag, and nothing else."""
    others = dataclasses.replace(
        filters, status=None, tag=None, ordering=DEFAULT_ORDERING, cursor=None
    )
    return (
        bool(filters.tag)
        and _statuses(filters) == _OPEN_VALUES
        and others == QueueFilters(page_size=filters.page_size)
    )


def _ordering(filters: QueueFilters) -> str:
    """The filters' ordering, or the default one for an ordering the queue does not know."""
    return filters.ordering if filters.ordering in _ORDER_COLUMNS else DEFAULT_ORDERING


def _searching(filters: QueueFilters) -> bool:
    return bool(filters.q and filters.q.strip())


# The orders that read the newest issues first (see text_search.walks).
_NEWEST_FIRST = {"-reported_at", "-reference"}


def _walks(filters: QueueFilters) -> bool:
    """Whether the filters' search tests each issue as a view is read (text_search.walks)."""
    newest_first = _ordering(filters) in _NEWEST_FIRST
    return _searching(filters) and text_search.walks(filters.q.strip(), newest_first=newest_first)


# The orderings an SLA view's page is read in from the clocks' own indexes: the column of
# the clocks that holds each.
_CLOCK_COLUMNS = {"sla_due_at": "due_at", "reported_at": "reported_at"}


def _in_sla_view(filters: QueueFilters, *, walk: bool | None = None) -> QuerySet:
    """The clocks in the filters' SLA view, of the issues the other filters leave. Read from
    the view's index, not by searching the issues for the few in a view (bench/queue_page.py).
    Each clock's issue is looked up and tested as the clocks are read, unless a search's few
    issues come from the words index: SQLite otherwise took an IN list of every issue the
    other filters leave (overdue and in printing at 1,000,000 issues: 277 ms against 4 ms;
    overdue and holding "printer": 5 s against 6 ms)."""
    clocks = sla_display.SLA_VIEWS[filters.sla]()
    others = _besides_sla_view(filters)
    walk = _walks(others) if walk is None else walk
    others = _filtered(IssueRecord.objects.all(), others, walk=walk)
    if not others.query.where:
        return clocks
    if _searching(filters) and not walk:
        return clocks.filter(issue_id__in=others.values("id"))
    return clocks.filter(Exists(others.filter(pk=OuterRef("issue_id"))))


def _besides_sla_view(filters: QueueFilters) -> QueueFilters:
    """The filters besides an SLA view's: asking for every open status asks nothing more of
    it, as a view holds running clocks only, so open issues only."""
    status = None if _statuses(filters) >= _OPEN_VALUES else filters.status
    return dataclasses.replace(filters, sla=None, status=status)


def _narrows_sla_view(filters: QueueFilters) -> bool:
    """Whether the filters choose fewer issues than their SLA view holds."""
    if filters.sla not in sla_display.SLA_VIEWS:
        return False
    others = _filtered(IssueRecord.objects.all(), _besides_sla_view(filters), walk=False)
    return bool(others.query.where)


def _clock_page(clocks: QuerySet, column: str, key, descending: bool, n: int) -> list[dict]:
    """A page of these clocks' issues in the order of `column` (see _CLOCK_COLUMNS), then id;
    each row with that column as the clock has it (the cursor's)."""
    field = _CLOCK_COLUMNS[column]
    if key is not None:
        clocks = clocks.filter(_beyond(field, key, descending=descending, pk_name="issue_id"))
    order = [f"-{field}", "-issue_id"] if descending else [field, "issue_id"]
    found = list(clocks.order_by(*order).values_list("issue_id", field)[:n])
    issues = IssueRecord.objects.filter(id__in=[issue_id for issue_id, _value in found])
    by_id = {row["id"]: row for row in issues.values(*_SUMMARY_FIELDS)}
    return [{**by_id[issue_id], column: value} for issue_id, value in found if issue_id in by_id]


# The queue's order by next deadline (_by_deadline) for an annotated next_deadline: the issues
# with a running clock by deadline, then id; those without one newest first.
_NO_DEADLINE = Q(sla_due_at=sla_display.NO_DEADLINE)
_BY_DEADLINE = [
    "sla_due_at",
    Case(When(_NO_DEADLINE, then=None), default=F("id")).asc(),
    Case(When(_NO_DEADLINE, then=F("reported_at"))).desc(),
    Case(When(_NO_DEADLINE, then=F("id"))).desc(),
]


def _by_deadline(
    rows: QuerySet, key: tuple | None, backwards: bool, limit: int, *, few: bool, running: bool
) -> list[dict]:
    """A page of `rows` by next SLA deadline (then id): first the issues with a running clock,
    read in deadline order from the clocks' index, then those without one (sla.display's
    NO_DEADLINE), newest first, as the view's own index reads them (by id, SQLite sorted the
    view's issues: the closed ones at 1,000,000 took 1.1 s; "sort: closed by next deadline").
    Ordering every issue by a per-issue subquery sorted all the open ones on every page, a cost
    that grew with the helpdesk (tests/web/test_queue_query_plans.py). Only an open issue's
    clocks run (issues_domain.sla_clock): for `rows` holding none (`running` false) no clock is
    read, as reading them all for none took 2.2 s (SQLite) and 550 ms (PostgreSQL) for the
    closed issues at 1,000,000."""
    clocks = SlaClock.objects.filter(due_at__isnull=False)
    no_deadline = sla_display.NO_DEADLINE

    def with_clock(beyond: tuple | None, n: int) -> list[dict]:
        if not running:
            return []
        if few:  # a search's issues from the words index: their clocks, looked up
            found = clocks.filter(issue_id__in=rows.values("id"))
        else:
            # Each clock's issue looked up as the clocks are read in order: SQLite took an IN
            # list of every issue the filters leave instead, and looked up each one's clock
            # (270 ms for the open issues at 1,000,000; bench/queue_page.py --sqlite, "sort:
            # next deadline"). PostgreSQL plans both the same way.
            found = clocks.filter(Exists(rows.filter(pk=OuterRef("issue_id"))))
        return _clock_page(found, "sla_due_at", beyond, backwards, n)

    def without_clock(after_id, n: int) -> list[dict]:
        # Each issue's clock looked up: SQLite read every running clock into a list first
        # (70 ms at 1,000,000 issues, when a search found fewer than a page with one).
        found = rows.exclude(Exists(clocks.filter(issue_id=OuterRef("pk")))) if running else rows
        if after_id is not None:  # the cursor's issue: its report time looked up
            reported = Subquery(IssueRecord.objects.filter(pk=after_id).values("reported_at"))
            beyond = _beyond("reported_at", (reported, after_id), descending=not backwards)
            found = found.filter(beyond)
        order = ["reported_at", "id"] if backwards else ["-reported_at", "-id"]
        found = found.order_by(*order).values(*_SUMMARY_FIELDS)[:n]
        return [{**row, "sla_due_at": no_deadline} for row in found]

    in_no_deadline = key is not None and key[0] >= no_deadline
    if not backwards:
        if in_no_deadline:
            return without_clock(key[1], limit)
        page = with_clock(key, limit)
        return page + (without_clock(None, limit - len(page)) if len(page) < limit else [])
    if not in_no_deadline:
        return with_clock(key, limit)
    page = without_clock(key[1], limit)
    return page + (with_clock(None, limit - len(page)) if len(page) < limit else [])


def _beyond(column: str, key: tuple, *, descending: bool, pk_name: str = "id") -> Q:
    """The rows after `key` (the column's value, then the primary key) in the page's order.
    The bound on the column comes first, alone: with only the OR, SQLite read every row on
    either side of it into a list and sorted them (a second page of every issue at 1,000,000:
    200 ms; now 0.3 ms)."""
    value, pk = key
    op = "lt" if descending else "gt"
    after = Q(**{f"{column}__{op}": value}) | Q(**{column: value, f"{pk_name}__{op}": pk})
    return Q(**{f"{column}__{op}e": value}) & after


def _encode_cursor(direction: str, row: dict, ordering: str) -> str:
    """A page link: the row's key in its ordering, and the ordering, so that the link is not
    followed in another one."""
    value = row[_ORDER_COLUMNS[ordering][0]]
    value = value.isoformat() if isinstance(value, datetime) else value
    raw = json.dumps([direction, value, str(row["id"]), ordering]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str | None, ordering: str) -> tuple[str | None, tuple | None]:
    if not cursor:
        return None, None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, value, pk, made_for = json.loads(raw)
        if direction not in ("after", "before") or made_for != ordering:
            raise ValueError(direction, made_for)
        if _ORDER_COLUMNS[ordering][0].endswith("_at"):
            value = datetime.fromisoformat(value)
            if value.utcoffset() is None:  # the columns hold instants: naive ones compare with none
                raise ValueError(value)
        elif not isinstance(value, int):
            raise ValueError(value)
        return direction, (value, uuid.UUID(pk))
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as error:
        raise InvalidCursor(
            "This page link is not valid; start again from the first page."
        ) from error


def _renamed(fields: dict) -> dict:
    fields = dict(fields)
    fields["category"] = fields.pop("category_id")
    fields["tags"] = tuple(fields.get("tags") or ())
    return fields


def _summary(row: dict) -> IssueSummary:
    return IssueSummary(**_renamed({name: row[name] for name in _SUMMARY_FIELDS}))
