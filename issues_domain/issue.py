"""The Issue aggregate: every lifecycle rule of an issue lives here."""

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from issues_domain import errors
from issues_domain.attachments import Attachment
from issues_domain.business_hours import calendar_to_data
from issues_domain.events import (
    DEADLINE_FLAGS,
    DuplicateMergedIn,
    Event,
    IssueAssigned,
    IssueAwaitingReporter,
    IssueClosed,
    IssueCommented,
    IssueMerged,
    IssuePicked,
    IssueReassigned,
    IssueReopened,
    IssueReported,
    IssueResolved,
    IssuesLinked,
    IssuesUnlinked,
    IssueTagged,
    IssueTriaged,
    ReporterAnswered,
    SatisfactionRated,
    SlaBreached,
    SlaTargeted,
    SlaWarned,
    WatcherAdded,
    WatcherRemoved,
)
from issues_domain.lifecycle import Action, allowed_actions
from issues_domain.ports import CategoryCatalogue, StaffDirectory
from issues_domain.sla import SlaPolicyBook, policy_for
from issues_domain.sla_clock import TimerKind
from issues_domain.subject import clean_subject
from issues_domain.texts import Text, gettext_noop
from issues_domain.values import (
    COMMENT_MAX_LENGTH,
    DEFAULT_LANGUAGE,
    DESCRIPTION_MAX_LENGTH,
    RATING_COMMENT_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REQUIRED,
    TAGS_PER_ISSUE,
    Actor,
    ActorRole,
    Comment,
    FollowUp,
    IssueReporter,
    IssueStatus,
    LinkKind,
    Priority,
    Visibility,
    clean_email,
    clean_language,
    clean_question,
    clean_resolution,
    clean_score,
    clean_tags,
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
            raise errors.InvalidInput.on("category", REQUIRED)
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
    # The version of the last change a person could act on: a deadline flag (DEADLINE_FLAGS)
    # is the SLA's bookkeeping, so a form made before one is not stale (expect_version).
    changed_version: int = 0
    reported_at: datetime = field(default_factory=_now)
    updated_at: datetime = field(default_factory=_now)
    tracking_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    # The reporter's language: every page and mail meant for them speaks it.
    language: str = DEFAULT_LANGUAGE
    comments: list[Comment] = field(default_factory=list)
    # The files that came with the report; a comment's files are the comment's.
    attachments: tuple[Attachment, ...] = ()
    # Addresses copied on public activity (never internal notes).
    watchers: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    merged_into: uuid.UUID | None = None
    # The issues this one is linked to, both ways: the other issue holds this one too.
    links: dict[uuid.UUID, LinkKind] = field(default_factory=dict)
    # The SLA deadlines already warned of or breached (sla_clock.deadline_key).
    sla_flags: frozenset[str] = frozenset()
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
        language: str | None = None,
        sla: SlaPolicyBook | None = None,
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
            language=lambda: clean_language(language),
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
            language=issue.language,
            attachments=issue.attachments,
            watchers=tuple(issue.watchers),
        )
        # The issue's times are its first event's, so a read model rebuilt from events agrees.
        issue.reported_at = issue.updated_at
        issue._target_sla(sla, Actor.system("sla"))
        return issue

    # -- staff work ------------------------------------------------------------------------

    def triage(
        self,
        category: str,
        priority: str,
        actor: Actor,
        categories: CategoryCatalogue,
        sla: SlaPolicyBook | None = None,
    ):
        self._require(Action.TRIAGE)
        before = (self.category, self.priority)
        fields = validate_all(
            category=lambda: _known_category(category, categories, required=True),
            priority=lambda: Priority.parse(priority) or self._required("priority"),
        )
        self.category, self.priority = fields["category"], fields["priority"]
        if self.status == IssueStatus.REPORTED:
            self.status = IssueStatus.TRIAGED
        self._record(IssueTriaged, actor, category=self.category, priority=self.priority)
        if (self.category, self.priority) != before:
            self._target_sla(sla, actor)

    def assign(self, assignee: str, actor: Actor, staff: StaffDirectory):
        self._require(Action.ASSIGN)
        username = clean_text(assignee, "assignee", max_length=150, one_line=True)
        if username == self.assignee:
            raise errors.AlreadyTheAssignee(username)
        if not staff.is_active_staff(username):
            raise errors.AssigneeNotActiveStaff(username)
        previous, self.assignee = self.assignee, username
        if self.status != IssueStatus.WAITING:  # still waiting; the answer returns it to assigned
            self.status = IssueStatus.ASSIGNED
        if previous is None:
            self._record(IssueAssigned, actor, assignee=username)
        else:
            self._record(IssueReassigned, actor, assignee=username, previous_assignee=previous)

    def pick(self, engineer: str):
        self._require(Action.PICK)
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
        self._require(Action.COMMENT)
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
        # Only the reporter's answer ends the wait (a watcher's comment does not).
        if author.role == ActorRole.REPORTER and self.status == IssueStatus.WAITING:
            self.status = self._status_to_return_to()
            self._record(ReporterAnswered, author, returned_to=self.status)

    def await_reporter(
        self,
        comment_id: uuid.UUID,
        comment: str,
        actor: Actor,
        attachments: tuple[Attachment, ...] = (),
    ):
        """Ask the reporter (a public comment, part of the change) and wait for the answer.

        The question's files are public, like the question; its watchers hear of it too."""
        self._require(Action.AWAIT_REPORTER)
        attachments = tuple(attachments)
        body = clean_question(comment)
        self.status = IssueStatus.WAITING
        self._record(
            IssueAwaitingReporter,
            actor,
            comment_id=comment_id,
            comment=body,
            reporter_email=self.reporter.email,
            attachments=attachments,
            watchers=tuple(self.watchers),
        )
        self.comments.append(
            Comment(comment_id, actor, body, Visibility.PUBLIC, self.updated_at, attachments)
        )

    def reply(
        self,
        comment_id: uuid.UUID,
        author: Actor,
        body: str,
        visibility: str,
        follow_up: FollowUp | str = FollowUp.NONE,
        attachments: tuple[Attachment, ...] = (),
    ):
        """The composer: a reply or note, or a public reply that also waits or resolves.

        A reply that resolves is the resolution (one message, one mail to the reporter, with
        the reply's files)."""
        follow_up = FollowUp.parse(follow_up)
        if follow_up == FollowUp.NONE:
            return self.comment(comment_id, author, body, visibility, attachments)
        if Visibility.parse(visibility) != Visibility.PUBLIC:
            raise errors.FollowUpNeedsPublicReply()
        if follow_up == FollowUp.AWAIT_REPORTER:
            return self.await_reporter(comment_id, body, author, attachments)
        return self.mark_as_resolved(body, author, attachments, message_id=comment_id)

    def mark_as_resolved(
        self,
        resolution: str,
        actor: Actor,
        attachments: tuple[Attachment, ...] = (),
        message_id: uuid.UUID | None = None,
    ):
        """The resolution's files are public, like the resolution; `message_id` names them."""
        self._require(Action.RESOLVE)
        self.resolution = clean_resolution(resolution)
        self.status = IssueStatus.RESOLVED
        self._record(
            IssueResolved,
            actor,
            resolution=self.resolution,
            reporter_email=self.reporter.email,
            watchers=tuple(self.watchers),
            message_id=message_id,
            attachments=tuple(attachments),
        )

    def reopen(self, reason: str, actor: Actor):
        self._require(Action.REOPEN)
        reason = clean_text(reason, "reason", max_length=REASON_MAX_LENGTH)
        self.status = self._status_to_return_to()
        self.resolution = None
        self._record(IssueReopened, actor, reason=reason, assignee=self.assignee)

    def close(self, actor: Actor):
        self._require(Action.CLOSE)
        self.status = IssueStatus.CLOSED
        self._record(IssueClosed, actor)

    def tag(self, add, remove, actor: Actor):
        self._require(Action.TAG)
        fields = validate_all(
            add=lambda: clean_tags(add, "add"), remove=lambda: clean_tags(remove, "remove")
        )
        added = [tag for tag in fields["add"] if tag not in self.tags]
        removed = [tag for tag in fields["remove"] if tag in self.tags and tag not in added]
        tags = [tag for tag in self.tags if tag not in removed] + added
        if len(tags) > TAGS_PER_ISSUE:
            raise errors.TooManyTags(TAGS_PER_ISSUE, len(tags))
        if not added and not removed:
            return  # nothing changes: no new version, no event
        self.tags = tags
        self._record(
            IssueTagged, actor, added=tuple(added), removed=tuple(removed), tags=tuple(tags)
        )

    def merge_into(self, target: "Issue", actor: Actor):
        """This issue is a duplicate of `target`: close it, and tell the target's timeline.

        The target gains the duplicate's followers: its DuplicateMergedIn names the reporter,
        and the reporter and every watcher become its watchers (each once, and none whom
        mail about it reaches already), in the same change, so whoever heard of the duplicate
        hears of the target's public activity.
        """
        if target.id == self.id:
            raise errors.CannotMergeIntoItself()
        if target.merged_into == self.id:
            raise errors.MergeCycle()
        if target.merged_into is not None:
            raise errors.MergeTargetMerged()
        self._require(Action.MERGE)
        if Action.MERGE not in target.allowed_actions():
            raise errors.MergeTargetClosed()
        self.merged_into, self.status = target.id, IssueStatus.CLOSED
        self._record(
            IssueMerged,
            actor,
            into=target.id,
            into_reference=target.reference,
            reporter_email=self.reporter.email,
            watchers=tuple(self.watchers),
            into_resolution=target.resolution,
        )
        target._record(
            DuplicateMergedIn,
            actor,
            duplicate_id=self.id,
            duplicate_reference=self.reference,
            reporter_name=self.reporter.name,
            reporter_email=self.reporter.email,
        )
        for email in (self.reporter.email, *self.watchers):
            if not target.hears_about(email):
                target._copy(email, actor, merged_from=self.id)

    def link(self, other: "Issue", kind: str, actor: Actor):
        self._require(Action.LINK)
        link_kind = LinkKind.parse(kind)
        if other.id == self.id:
            raise errors.CannotLinkToItself()
        if other.id in self.links:
            raise errors.AlreadyLinked()
        for one, another in ((self, other), (other, self)):
            one.links[another.id] = link_kind
            one._record(
                IssuesLinked,
                actor,
                other_id=another.id,
                other_reference=another.reference,
                kind=link_kind,
            )

    def unlink(self, other: "Issue", actor: Actor):
        if other.id not in self.links:
            raise errors.NotLinked()
        for one, another in ((self, other), (other, self)):
            one.links.pop(another.id, None)
            one._record(
                IssuesUnlinked, actor, other_id=another.id, other_reference=another.reference
            )

    # -- SLA -------------------------------------------------------------------------------

    def flag_sla(self, kind: TimerKind, goal: str, deadline: str, due_at: datetime):
        """Record that a deadline is near (a warning) or missed (a breach), once per deadline.

        The lifecycle table says in which statuses (the open ones, `waiting` too: a deadline
        that passed before the wait paused the clocks was still missed)."""
        self._require(Action.FLAG_SLA)
        if deadline in self.sla_flags:
            raise errors.SlaAlreadyFlagged()
        self.sla_flags = self.sla_flags | {deadline}
        self._record(
            SlaWarned if kind == TimerKind.WARNING else SlaBreached,
            Actor.system("sla"),
            goal=goal,
            deadline=deadline,
            due_at=due_at,
            assignee=self.assignee,
            category=self.category,
            reference=self.reference,
        )

    def _target_sla(self, sla: SlaPolicyBook | None, actor: Actor):
        """Record the targets of the policy that now applies; none applying keeps the old."""
        policy = policy_for(sla.policies(), self.category, self.priority) if sla else None
        if policy is None:
            return
        self._record(
            SlaTargeted,
            actor,
            policy=policy.name,
            first_response_seconds=int(policy.first_response.total_seconds()),
            resolution_seconds=int(policy.resolution.total_seconds()),
            calendar=calendar_to_data(policy.calendar),
        )

    def rate_satisfaction(self, score, comment: str | None):
        """Only the reporter rates, and only a resolution; a later rating replaces this one."""
        fields = validate_all(
            score=lambda: clean_score(score),
            comment=lambda: clean_text(
                comment, "comment", max_length=RATING_COMMENT_MAX_LENGTH, required=False
            ),
        )
        self._require(Action.RATE)
        if not self.resolution:  # closed without a resolution (e.g. merged): nothing to rate
            raise errors.IssueNeverResolved()
        self._record(SatisfactionRated, Actor.reporter(self.reporter), **fields)

    def add_watcher(self, email: str, actor: Actor):
        """Copy somebody on the issue's public activity (staff; a mail's Cc)."""
        self._require(Action.WATCH)
        email = clean_email(email, "email")
        if email.casefold() == self.reporter.email.casefold():
            raise errors.ReporterCannotWatch()
        if self.is_watched_by(email):
            raise errors.AlreadyWatching(email)
        self._copy(email, actor)

    def _copy(self, email: str, actor: Actor, merged_from: uuid.UUID | None = None):
        # A merge copies the duplicate's followers whenever the target takes the merge: that
        # is nobody's choice to watch, so the lifecycle's WATCH does not decide it.
        self.watchers.append(email)
        self._record(WatcherAdded, actor, email=email, merged_from=merged_from)

    def remove_watcher(self, email: str, actor: Actor):
        self._require(Action.WATCH)
        email = clean_email(email, "email")
        watching = next((w for w in self.watchers if w.casefold() == email.casefold()), None)
        if watching is None:
            raise errors.NotWatching(email)
        self.watchers.remove(watching)
        self._record(WatcherRemoved, actor, email=watching)

    def hears_about(self, email: str) -> bool:
        """Whether mail about the issue reaches this address already (as reporter or watcher):
        a merge copies the duplicate's reporter and watchers only when it does not."""
        return email.casefold() == self.reporter.email.casefold() or self.is_watched_by(email)

    def is_watched_by(self, email: str) -> bool:
        return any(watcher.casefold() == (email or "").casefold() for watcher in self.watchers)

    def expect_version(self, expected: int | None):
        """Refuse to act for a caller who was looking at an older (or newer) version; versions
        that only flagged a deadline since do not count."""
        if expected is not None and not self.changed_version <= expected <= self.version:
            raise errors.StaleVersion(expected, self.version)

    # -- what a reader may ask -------------------------------------------------------------

    def allowed_actions(self) -> frozenset[Action]:
        return allowed_actions(self.status, self.assignee)

    @property
    def public_comments(self) -> list[Comment]:
        return [comment for comment in self.comments if comment.is_public]

    # -- the rules' plumbing ---------------------------------------------------------------

    def _require(self, action: Action):
        """Refuse, with the reason that fits, what the lifecycle table does not allow."""
        if action in self.allowed_actions():
            return
        if action == Action.RATE:
            raise errors.IssueNeverResolved()
        if self.status == IssueStatus.CLOSED:
            raise errors.IssueIsClosed()
        if action in (Action.REOPEN, Action.CLOSE):
            raise errors.IssueNotResolved()
        if self.status == IssueStatus.RESOLVED:
            raise errors.IssueAlreadyResolved()
        if action == Action.PICK and self.assignee is not None:
            raise errors.IssueAlreadyAssigned()
        if self.status == IssueStatus.WAITING:
            raise errors.IssueIsWaitingOnReporter()
        if action == Action.AWAIT_REPORTER:
            raise errors.IssueCannotAwaitReporter()
        message = gettext_noop("A %(status)s issue does not allow %(action)s.")
        raise errors.CommandRefused(Text(message, status=str(self.status), action=str(action)))

    def _status_to_return_to(self) -> IssueStatus:
        """After a resolution or a wait: where the issue stood, read off what it has."""
        if self.assignee is not None:
            return IssueStatus.ASSIGNED
        if self.category is not None:
            return IssueStatus.TRIAGED
        return IssueStatus.REPORTED

    @staticmethod
    def _required(field_name: str):
        raise errors.InvalidInput.on(field_name, REQUIRED)

    def _record(self, event_class: type[Event], actor: Actor, **data):
        now = _now()
        self.version += 1
        if event_class not in DEADLINE_FLAGS:
            self.updated_at = now
            self.changed_version = self.version
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
