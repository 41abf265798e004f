"""The Issue aggregate: every lifecycle rule of an issue lives here."""

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from issues_domain import errors
from issues_domain.attachments import Attachment
from issues_domain.events import (
    Event,
    IssueAssigned,
    IssueClosed,
    IssueCommented,
    IssuePicked,
    IssueReassigned,
    IssueReopened,
    IssueReported,
    IssueResolved,
    IssueTriaged,
    WatcherAdded,
    WatcherRemoved,
)
from issues_domain.ports import CategoryCatalogue, StaffDirectory
from issues_domain.subject import clean_subject
from issues_domain.values import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    RESOLUTION_MAX_LENGTH,
    Actor,
    ActorRole,
    Comment,
    IssueReporter,
    IssueStatus,
    Priority,
    Visibility,
    clean_email,
    clean_text,
    validate_all,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _distinct_others(emails: list[str], reporter_email: str) -> list[str]:
    seen = {reporter_email.casefold()}
    kept = []
    for email in emails:
        if email.casefold() not in seen:
            seen.add(email.casefold())
            kept.append(email)
    return kept


def _known_category(category: str | None, categories: CategoryCatalogue, *, required: bool):
    slug = (category or "").strip()
    if not slug:
        if required:
            raise errors.InvalidInput.on("category", "This field is required.")
        return None
    if not categories.is_known(slug):
        raise errors.UnknownCategory(slug)
    return slug


@dataclass(eq=False)
class Issue:
    id: uuid.UUID
    reference: str
    reporter: IssueReporter
    description: str
    subject: str = ""
    status: IssueStatus = IssueStatus.REPORTED
    category: str | None = None
    priority: Priority | None = None
    assignee: str | None = None
    resolution: str | None = None
    version: int = 0
    reported_at: datetime = field(default_factory=_now)
    updated_at: datetime = field(default_factory=_now)
    tracking_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    comments: list[Comment] = field(default_factory=list)
    # The files that came with the report; a comment's files are the comment's.
    attachments: tuple[Attachment, ...] = ()
    # Addresses copied on public activity (never internal notes).
    watchers: list[str] = field(default_factory=list)
    # Events raised since the issue was loaded; the unit of work records them with the change.
    events: list[Event] = field(default_factory=list, repr=False)

    # -- reporting -------------------------------------------------------------------------

    @classmethod
    def report(
        cls,
        *,
        issue_id: uuid.UUID,
        reference: str,
        reporter_name: str,
        reporter_email: str,
        description: str,
        category: str | None,
        priority: str | None,
        categories: CategoryCatalogue,
        subject: str | None = None,
        attachments: tuple[Attachment, ...] = (),
        watchers: tuple[str, ...] = (),
    ) -> "Issue":
        fields = validate_all(
            reporter=lambda: IssueReporter.create(reporter_name, reporter_email),
            description=lambda: clean_text(
                description, "description", max_length=DESCRIPTION_MAX_LENGTH
            ),
            subject=lambda: clean_subject(subject, description),
            category=lambda: _known_category(category, categories, required=False),
            priority=lambda: Priority.parse(priority),
            watchers=lambda: [clean_email(email, "watchers") for email in watchers],
        )
        fields["watchers"] = _distinct_others(fields["watchers"], fields["reporter"].email)
        issue = cls(id=issue_id, reference=reference, attachments=tuple(attachments), **fields)
        issue._record(
            IssueReported,
            Actor.reporter(issue.reporter),
            reference=reference,
            reporter_name=issue.reporter.name,
            reporter_email=issue.reporter.email,
            subject=issue.subject,
            description=issue.description,
            category=issue.category,
            priority=issue.priority,
            attachments=issue.attachments,
            watchers=tuple(issue.watchers),
        )
        # The issue's times are its first event's, so a read model rebuilt from events agrees.
        issue.reported_at = issue.updated_at
        return issue

    # -- staff work ------------------------------------------------------------------------

    def triage(self, category: str, priority: str, actor: Actor, categories: CategoryCatalogue):
        self._refuse_unless_open()
        fields = validate_all(
            category=lambda: _known_category(category, categories, required=True),
            priority=lambda: Priority.parse(priority) or self._required("priority"),
        )
        self.category, self.priority = fields["category"], fields["priority"]
        if self.status == IssueStatus.REPORTED:
            self.status = IssueStatus.TRIAGED
        self._record(IssueTriaged, actor, category=self.category, priority=self.priority)

    def assign(self, assignee: str, actor: Actor, staff: StaffDirectory):
        self._refuse_unless_open()
        username = clean_text(assignee, "assignee", max_length=150, one_line=True)
        if username == self.assignee:
            raise errors.AlreadyTheAssignee(username)
        if not staff.is_active_staff(username):
            raise errors.AssigneeNotActiveStaff(username)
        previous, self.assignee, self.status = self.assignee, username, IssueStatus.ASSIGNED
        if previous is None:
            self._record(IssueAssigned, actor, assignee=username)
        else:
            self._record(IssueReassigned, actor, assignee=username, previous_assignee=previous)

    def pick(self, engineer: str):
        self._refuse_unless_open()
        if self.assignee is not None:
            raise errors.IssueAlreadyAssigned()
        engineer = clean_text(engineer, "engineer", max_length=150, one_line=True)
        self.assignee, self.status = engineer, IssueStatus.ASSIGNED
        self._record(IssuePicked, Actor.staff(engineer), engineer=engineer)

    def comment(
        self,
        comment_id: uuid.UUID,
        author: Actor,
        body: str,
        visibility: str,
        attachments: tuple[Attachment, ...] = (),
    ):
        if self.status == IssueStatus.CLOSED:
            raise errors.IssueIsClosed()
        attachments = tuple(attachments)
        fields = validate_all(
            # Files alone make a comment; without files it needs words.
            body=lambda: clean_text(
                body, "body", max_length=COMMENT_MAX_LENGTH, required=not attachments
            ),
            visibility=lambda: Visibility.parse(visibility),
        )
        if not author.is_staff and fields["visibility"] != Visibility.PUBLIC:
            raise errors.ReporterNotesArePublic()
        if author.role == ActorRole.WATCHER and not self.is_watched_by(author.email):
            raise errors.NotAWatcher()
        self._record(
            IssueCommented,
            author,
            comment_id=comment_id,
            body=fields["body"],
            visibility=fields["visibility"],
            reporter_email=self.reporter.email,
            assignee=self.assignee,
            attachments=attachments,
            watchers=tuple(self.watchers),
        )
        # Timed like its event, so a read model rebuilt from events shows the same time.
        self.comments.append(
            Comment(
                comment_id,
                author,
                fields["body"],
                fields["visibility"],
                self.updated_at,
                attachments,
            )
        )

    def mark_as_resolved(self, resolution: str, actor: Actor):
        self._refuse_unless_open()
        self.resolution = clean_text(resolution, "resolution", max_length=RESOLUTION_MAX_LENGTH)
        self.status = IssueStatus.RESOLVED
        self._record(
            IssueResolved,
            actor,
            resolution=self.resolution,
            reporter_email=self.reporter.email,
            watchers=tuple(self.watchers),
        )

    def reopen(self, reason: str, actor: Actor):
        if self.status != IssueStatus.RESOLVED:
            raise self._closed_or(errors.IssueNotResolved)
        reason = clean_text(reason, "reason", max_length=REASON_MAX_LENGTH)
        self.status = self._status_before_resolution()
        self.resolution = None
        self._record(IssueReopened, actor, reason=reason, assignee=self.assignee)

    def close(self, actor: Actor):
        if self.status != IssueStatus.RESOLVED:
            raise self._closed_or(errors.IssueNotResolved)
        self.status = IssueStatus.CLOSED
        self._record(IssueClosed, actor)

    def add_watcher(self, email: str, actor: Actor):
        """Copy somebody on the issue's public activity (staff; a mail's Cc; a merge's reporter)."""
        if self.status == IssueStatus.CLOSED:
            raise errors.IssueIsClosed()
        email = clean_email(email, "email")
        if email.casefold() == self.reporter.email.casefold():
            raise errors.ReporterCannotWatch()
        if self.is_watched_by(email):
            raise errors.AlreadyWatching(email)
        self.watchers.append(email)
        self._record(WatcherAdded, actor, email=email)

    def remove_watcher(self, email: str, actor: Actor):
        if self.status == IssueStatus.CLOSED:
            raise errors.IssueIsClosed()
        email = clean_email(email, "email")
        watching = next((w for w in self.watchers if w.casefold() == email.casefold()), None)
        if watching is None:
            raise errors.NotWatching(email)
        self.watchers.remove(watching)
        self._record(WatcherRemoved, actor, email=watching)

    def hears_about(self, email: str) -> bool:
        """Whether mail about the issue reaches this address already (as reporter or watcher):
        a merge adds the merged issue's reporter with add_watcher only when it does not."""
        return email.casefold() == self.reporter.email.casefold() or self.is_watched_by(email)

    def is_watched_by(self, email: str) -> bool:
        return any(watcher.casefold() == (email or "").casefold() for watcher in self.watchers)

    def expect_version(self, expected: int | None):
        """Refuse to act for a caller who was looking at an older (or newer) version."""
        if expected is not None and expected != self.version:
            raise errors.StaleVersion(expected, self.version)

    # -- what a reader may ask -------------------------------------------------------------

    @property
    def public_comments(self) -> list[Comment]:
        return [comment for comment in self.comments if comment.is_public]

    # -- the rules' plumbing ---------------------------------------------------------------

    def _refuse_unless_open(self):
        if self.status == IssueStatus.RESOLVED:
            raise errors.IssueAlreadyResolved()
        if self.status == IssueStatus.CLOSED:
            raise errors.IssueIsClosed()

    def _closed_or(self, error_class: type[errors.DomainError]) -> errors.DomainError:
        return errors.IssueIsClosed() if self.status == IssueStatus.CLOSED else error_class()

    def _status_before_resolution(self) -> IssueStatus:
        if self.assignee is not None:
            return IssueStatus.ASSIGNED
        if self.category is not None:
            return IssueStatus.TRIAGED
        return IssueStatus.REPORTED

    @staticmethod
    def _required(field_name: str):
        raise errors.InvalidInput.on(field_name, "This field is required.")

    def _record(self, event_class: type[Event], actor: Actor, **data):
        now = _now()
        self.version += 1
        self.updated_at = now
        self.events.append(
            event_class(
                event_id=uuid.uuid4(),
                issue_id=self.id,
                version=self.version,
                occurred_at=now,
                actor=actor,
                status=self.status,
                **data,
            )
        )
