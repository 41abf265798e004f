"""The IssueLog adapter: maps issue rows to domain Issues and back."""

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import post_delete, post_save

from issues_adapters.persistence.models import (
    FIRST_REFERENCE_NUMBER,
    PRIORITY_RANK,
    REFERENCE_PREFIX,
    AttachmentRecord,
    Category,
    CommentRecord,
    IssueNumber,
    IssueRecord,
    TagRecord,
    WatcherRecord,
)
from issues_adapters.persistence.plain_statements import insert, update
from issues_domain.attachments import Attachment
from issues_domain.errors import IssueNotFound
from issues_domain.events import IssueResolved
from issues_domain.issue import Issue
from issues_domain.lifecycle import is_open
from issues_domain.ports import CategoryCatalogue, IssueLog, StaffDirectory
from issues_domain.values import (
    Actor,
    ActorRole,
    Comment,
    IssueReporter,
    IssueStatus,
    LinkKind,
    Priority,
    Visibility,
)
from issues_service.unit_of_work import StaleWrite

_read_ahead: ContextVar[dict | None] = ContextVar("issue_rows_read_ahead", default=None)


@contextmanager
def rows_read_ahead(issue_ids) -> Iterator[None]:
    """Reads these issues' rows in one statement for `get_without_timeline` inside the block
    to take instead of a query each: a batch of SLA flags. Use inside the transaction the
    commands run in.

    On PostgreSQL the rows are locked as they are read, skipping any another transaction
    holds (never waiting, so never deadlocking with it): a skipped one is read, waiting for
    its lock, by its own command as usual. Each row is taken once, so a command run again
    after a stale write reads its row afresh; and the version check on save refuses a row
    that changed since it was read."""
    rows = IssueRecord.objects.filter(id__in=list(issue_ids)).select_for_update(skip_locked=True)
    token = _read_ahead.set({row.id: row for row in rows})
    try:
        yield
    finally:
        _read_ahead.reset(token)


_NEXT_NUMBER_SQL = f'INSERT INTO "{IssueNumber._meta.db_table}" DEFAULT VALUES RETURNING "id"'


class DjangoIssueLog(IssueLog):
    """Remembers what it handed out, so the unit of work can save exactly those issues."""

    def __init__(self):
        self.seen: dict[uuid.UUID, Issue] = {}
        self._loaded_version: dict[uuid.UUID, int] = {}
        self._stored_comments: dict[uuid.UUID, set[uuid.UUID]] = {}
        self._stored_tag_rows: dict[uuid.UUID, tuple[tuple[str, ...], bool]] = {}
        self._stored_watchers: dict[uuid.UUID, list[str]] = {}
        self._without_timeline: set[uuid.UUID] = set()

    def add(self, issue: Issue) -> None:
        self.seen[issue.id] = issue
        self._loaded_version[issue.id] = 0
        self._stored_comments[issue.id] = set()
        self._stored_tag_rows[issue.id] = ((), True)
        self._stored_watchers[issue.id] = []

    def get(self, issue_id: uuid.UUID) -> Issue:
        # FOR UPDATE makes concurrent writers on PostgreSQL queue up on the row; the version
        # check in save() still guards databases that ignore it.
        row = IssueRecord.objects.select_for_update().filter(id=issue_id).first()
        if row is None:
            raise IssueNotFound()
        comments = list(
            CommentRecord.objects.filter(issue_id=issue_id).order_by("created_at", "id")
        )
        attachments = list(AttachmentRecord.objects.filter(issue_id=issue_id))
        issue = to_domain(row, comments, attachments)
        issue.watchers = list(
            WatcherRecord.objects.filter(issue_id=issue_id)
            .order_by("id")
            .values_list("email", flat=True)
        )
        self._stored_watchers[issue.id] = list(issue.watchers)
        self.seen[issue.id] = issue
        self._loaded_version[issue.id] = row.version
        self._stored_comments[issue.id] = {comment.id for comment in comments}
        self._stored_tag_rows[issue.id] = _tag_rows_of(issue)
        return issue

    def get_without_timeline(self, issue_id: uuid.UUID) -> Issue:
        # The issue's row alone: a flag reads and writes nothing of the other tables, and
        # their three queries were most of a flag's cost (bench/sla_timers.py).
        ahead = _read_ahead.get()
        row = ahead.pop(issue_id, None) if ahead else None
        if row is None:
            row = IssueRecord.objects.select_for_update().filter(id=issue_id).first()
        if row is None:
            raise IssueNotFound()
        issue = to_domain(row, [])
        self.seen[issue.id] = issue
        self._loaded_version[issue.id] = row.version
        self._stored_tag_rows[issue.id] = _tag_rows_of(issue)
        self._without_timeline.add(issue.id)
        return issue

    def find(self, id_or_reference: str) -> Issue:
        issue_id = _id_of(id_or_reference)
        return self.seen.get(issue_id) or self.get(issue_id)

    def get_pair(self, issue_id: uuid.UUID, other: str) -> tuple[Issue, Issue]:
        other_id = _id_of(other)
        # Both rows locked in id order in one statement: A-with-B and B-with-A never deadlock.
        list(
            IssueRecord.objects.select_for_update()
            .filter(id__in={issue_id, other_id})
            .order_by("id")
            .values_list("id", flat=True)
        )
        first = self.get(issue_id)
        return first, self.seen.get(other_id) or self.get(other_id)

    def next_reference(self) -> str:
        # One plain statement (SQLite >= 3.35 and PostgreSQL both have RETURNING): the ORM's
        # create() costs several times the round trip for a row with no columns of its own.
        with connection.cursor() as cursor:
            cursor.execute(_NEXT_NUMBER_SQL)
            (number,) = cursor.fetchone()
        return f"{REFERENCE_PREFIX}{FIRST_REFERENCE_NUMBER + number}"

    def save_seen(self) -> list:
        """Write every changed issue; raise StaleWrite if any changed in storage meanwhile."""
        events = []
        for issue_id, issue in self.seen.items():
            if not issue.events:
                continue
            self._save(issue, self._loaded_version[issue_id])
            self._save_resolution_files(issue)
            self._save_tags(issue)
            if issue_id in self._without_timeline:
                _refuse_timeline_changes(issue)
            else:
                self._save_new_comments(issue)
                self._save_watchers(issue)
            events.extend(issue.events)
            self._loaded_version[issue_id] = issue.version
            issue.events = []
        return events

    def unwritten_changes(self) -> tuple[list[tuple[dict, dict]], list]:
        """What `save_seen` would write, without writing it: each changed issue's row as
        (values, where) for `update_each` - where names the version it was loaded at - and
        their events. Only for issues loaded without their timeline whose tag rows hold as
        they were (a flag): anything else changes other tables too."""
        rows, events = [], []
        for issue_id, issue in self.seen.items():
            if not issue.events:
                continue
            if (
                issue_id not in self._without_timeline
                or not self._tag_rows_hold(issue)
                or any(isinstance(event, IssueResolved) for event in issue.events)
            ):
                raise RuntimeError(f"issue {issue_id} changes more than its row")
            _refuse_timeline_changes(issue)
            where = {"id": issue.id, "version": self._loaded_version[issue_id]}
            rows.append((from_domain(issue), where))
            events.extend(issue.events)
            self._loaded_version[issue_id] = issue.version
            issue.events = []
        return rows, events

    def _save(self, issue: Issue, loaded_version: int) -> None:
        fields = from_domain(issue)
        if loaded_version == 0:
            insert(IssueRecord, {"id": issue.id, "tracking_token": issue.tracking_token, **fields})
            _save_attachments(
                issue.id, None, Visibility.PUBLIC, issue.attachments, issue.reported_at
            )
            return
        updated = update(IssueRecord, fields, where={"id": issue.id, "version": loaded_version})
        if updated != 1:
            raise StaleWrite(issue.id)

    def _save_watchers(self, issue: Issue) -> None:
        stored = self._stored_watchers[issue.id]
        if stored == issue.watchers:
            return
        gone = [email for email in stored if email not in issue.watchers]
        if gone:
            WatcherRecord.objects.filter(issue_id=issue.id, email__in=gone).delete()
        WatcherRecord.objects.bulk_create(
            WatcherRecord(issue_id=issue.id, email=email)
            for email in issue.watchers
            if email not in stored
        )
        self._stored_watchers[issue.id] = list(issue.watchers)

    def _save_new_comments(self, issue: Issue) -> None:
        stored = self._stored_comments[issue.id]
        if len(issue.comments) == len(stored):
            return  # nothing new (a report, most commands): not even bulk_create's checks
        for comment in issue.comments:
            if comment.id not in stored:
                _save_attachments(
                    issue.id,
                    comment.id,
                    comment.visibility,
                    comment.attachments,
                    comment.created_at,
                )
        CommentRecord.objects.bulk_create(
            CommentRecord(
                id=comment.id,
                issue_id=issue.id,
                author_role=comment.author.role.value,
                author_name=comment.author.name,
                author_email=comment.author.email,
                body=comment.body,
                visibility=comment.visibility.value,
                created_at=comment.created_at,
            )
            for comment in issue.comments
            if comment.id not in stored
        )
        stored.update(comment.id for comment in issue.comments)

    def _save_resolution_files(self, issue: Issue) -> None:
        """A resolution is no comment: its files are written with the event that names them."""
        for event in issue.events:
            if isinstance(event, IssueResolved) and event.attachments:
                _save_attachments(
                    issue.id,
                    event.message_id,
                    Visibility.PUBLIC,
                    event.attachments,
                    event.occurred_at,
                )

    def _tag_rows_hold(self, issue: Issue) -> bool:
        """Whether its tag rows hold as it is now: its tags, and for each whether it is open."""
        stored_tags, stored_open = self._stored_tag_rows[issue.id]
        tags, still_open = _tag_rows_of(issue)
        return tags == stored_tags and (not tags or still_open == stored_open)

    def _save_tags(self, issue: Issue) -> None:
        """Its tag rows: rewritten when its tags change, updated when a tagged issue is
        resolved, closed or reopened."""
        if self._tag_rows_hold(issue):
            return
        tags, still_open = _tag_rows_of(issue)
        if tags != self._stored_tag_rows[issue.id][0]:
            TagRecord.objects.filter(issue_id=issue.id).delete()
            TagRecord.objects.bulk_create(
                TagRecord(issue_id=issue.id, tag=tag, position=position, issue_open=still_open)
                for position, tag in enumerate(tags)
            )
        else:
            TagRecord.objects.filter(issue_id=issue.id).update(issue_open=still_open)
        self._stored_tag_rows[issue.id] = (tags, still_open)


def _tag_rows_of(issue: Issue) -> tuple[tuple[str, ...], bool]:
    """What an issue's tag rows hold: its tags, and whether it is open."""
    return tuple(issue.tags), is_open(issue.status)


def _refuse_timeline_changes(issue: Issue) -> None:
    """An issue loaded without its timeline has none to save: a command that adds to it must
    load the issue with `get` (saving this one would lose nothing, but keep nothing either)."""
    if issue.comments or issue.attachments or issue.watchers:
        raise RuntimeError(f"issue {issue.id} was loaded without its timeline")


def _id_of(id_or_reference: str) -> uuid.UUID:
    text = (id_or_reference or "").strip()
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    found = IssueRecord.objects.filter(reference__iexact=text).values_list("id", flat=True).first()
    if found is None:
        raise IssueNotFound()
    return found


def _save_attachments(issue_id, comment_id, visibility, attachments, at) -> None:
    if not attachments:
        return
    AttachmentRecord.objects.bulk_create(
        AttachmentRecord(
            id=attachment.id,
            issue_id=issue_id,
            comment_id=comment_id,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            visibility=visibility.value,
            created_at=at,
        )
        for attachment in attachments
    )


def _attachment(row: AttachmentRecord) -> Attachment:
    return Attachment(row.id, row.filename, row.content_type, row.size, row.sha256)


def to_domain(
    row: IssueRecord, comments: list[CommentRecord], attachments: list[AttachmentRecord] = ()
) -> Issue:
    by_comment: dict = {}
    for attachment in attachments:
        by_comment.setdefault(attachment.comment_id, []).append(_attachment(attachment))
    return Issue(
        id=row.id,
        reference=row.reference,
        reporter=IssueReporter(row.reporter_name, row.reporter_email),
        description=row.description,
        subject=row.subject,
        status=IssueStatus(row.status),
        category=row.category_id,
        priority=Priority(row.priority) if row.priority else None,
        assignee=row.assignee,
        resolution=row.resolution,
        merged_into=row.merged_into,
        tags=list(row.tags or ()),
        links={uuid.UUID(other): LinkKind(kind) for other, kind in (row.links or {}).items()},
        version=row.version,
        changed_version=row.version if row.changed_version is None else row.changed_version,
        reported_at=row.reported_at,
        updated_at=row.updated_at,
        tracking_token=row.tracking_token,
        language=row.language,
        sla_flags=frozenset(row.sla_flags or ()),
        attachments=tuple(by_comment.get(None, ())),
        comments=[
            Comment(
                id=comment.id,
                author=Actor(
                    ActorRole(comment.author_role), comment.author_name, comment.author_email
                ),
                body=comment.body,
                visibility=Visibility(comment.visibility),
                created_at=comment.created_at,
                attachments=tuple(by_comment.get(comment.id, ())),
            )
            for comment in comments
        ],
    )


def from_domain(issue: Issue) -> dict:
    number = int(issue.reference.removeprefix(REFERENCE_PREFIX))
    return {
        "number": number,
        "reference": issue.reference,
        "status": issue.status.value,
        "reporter_name": issue.reporter.name,
        "reporter_email": issue.reporter.email,
        "language": issue.language,
        "subject": issue.subject,
        "description": issue.description,
        "category_id": issue.category,
        "priority": issue.priority.value if issue.priority else None,
        "priority_rank": PRIORITY_RANK[issue.priority],
        "assignee": issue.assignee,
        "resolution": issue.resolution,
        "merged_into": issue.merged_into,
        "tags": list(issue.tags),
        "links": {str(other): kind.value for other, kind in issue.links.items()},
        "version": issue.version,
        "changed_version": issue.changed_version,
        "reported_at": issue.reported_at,
        "updated_at": issue.updated_at,
        "sla_flags": sorted(issue.sla_flags),
    }


class DjangoStaffDirectory(StaffDirectory):
    def is_active_staff(self, username: str) -> bool:
        return (
            get_user_model()
            .objects.filter(username=username, is_staff=True, is_active=True)
            .exists()
        )


class ActiveCategorySlugs:
    """The active categories' slugs, read at most every `ttl` seconds per process.

    Every report asks whether its category exists; the answer changes only when an admin
    changes a category. A save or delete in this process forgets the slugs at once; other
    processes see the change within `ttl` seconds.
    """

    def __init__(self, ttl: float = 5.0):
        self.ttl = ttl
        self._lock = threading.Lock()
        self._slugs: frozenset[str] | None = None
        self._read_at = 0.0
        self._generation = 0

    def get(self) -> frozenset[str]:
        slugs, read_at = self._slugs, self._read_at
        if slugs is not None and time.monotonic() - read_at < self.ttl:
            return slugs
        generation = self._generation
        slugs = frozenset(Category.objects.filter(is_active=True).values_list("slug", flat=True))
        with self._lock:
            if generation == self._generation:  # nobody forgot them while we read
                self._slugs, self._read_at = slugs, time.monotonic()
        return slugs

    def forget(self, **_) -> None:
        with self._lock:
            self._generation += 1
            self._slugs = None


active_category_slugs = ActiveCategorySlugs()
post_save.connect(active_category_slugs.forget, sender=Category, weak=False)
post_delete.connect(active_category_slugs.forget, sender=Category, weak=False)


class DjangoCategoryCatalogue(CategoryCatalogue):
    def is_known(self, category: str) -> bool:
        return category in active_category_slugs.get()
