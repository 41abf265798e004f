import uuid
from datetime import UTC, datetime

import pytest
from expects import equal, expect

from issues_adapters.persistence.event_log import record_many, to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
from issues_adapters.sla.defaults import seed_policies
from issues_domain.attachments import Attachment
from issues_domain.commands import (
    AddWatcher,
    AssignIssue,
    AwaitReporter,
    CloseIssue,
    CommentOnIssue,
    FlagSlaBreach,
    FlagSlaWarning,
    LinkIssues,
    MarkIssueAsResolved,
    MergeIssue,
    PickIssue,
    RateSatisfaction,
    RemoveWatcher,
    ReopenIssue,
    ReportIssue,
    TagIssue,
    TriageIssue,
    UnlinkIssues,
)
from issues_domain.events import ALL_EVENTS
from issues_domain.values import Actor, IssueReporter
from tests.adapters.contexts import ALICE, make_staff

FRED = Actor.reporter(IssueReporter("Fred", "fred@example.org"))
DUE = datetime(2026, 12, 7, 11, tzinfo=UTC)


class RememberingUnitOfWork(DjangoUnitOfWork):
    """Keeps every event it recorded, exactly as the domain raised it."""

    raised: list = []

    def commit(self):
        super().commit()
        RememberingUnitOfWork.raised.extend(self.recorded_events())


@pytest.mark.django_db
class When_every_kind_of_event_is_recorded_and_read_back:
    def given_an_issue_that_raises_every_kind_of_event(self):
        from issues_service.bootstrap import bootstrap

        make_staff("alice")
        make_staff("bob")
        seed_policies()  # so that reports and triage record SlaTargeted
        RememberingUnitOfWork.raised = []
        bus = bootstrap(unit_of_work=RememberingUnitOfWork)
        report = ReportIssue(
            reporter_name="Fred", reporter_email="fred@example.org", description="x"
        )
        issue_id, picked_id = (
            bus.handle(report),
            bus.handle(report.__class__(**vars(report) | {"issue_id": uuid.uuid4()})),
        )
        for command in [
            PickIssue(issue_id=picked_id, engineer="alice"),
            AssignIssue(issue_id=issue_id, assignee="alice", actor=ALICE),
            AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE),
            TriageIssue(issue_id=issue_id, category="network", priority="low", actor=ALICE),
            AddWatcher(issue_id=issue_id, email="jane@example.org", actor=ALICE),
            CommentOnIssue(
                issue_id=issue_id,
                author=ALICE,
                body="hi",
                visibility="internal",
                attachments=(Attachment(uuid.uuid4(), "a.log", "text/plain", 3, "ab" * 32),),
            ),
            RemoveWatcher(issue_id=issue_id, email="jane@example.org", actor=ALICE),
            AwaitReporter(issue_id=issue_id, comment="Which one?", actor=ALICE),
            CommentOnIssue(issue_id=issue_id, author=FRED, body="The left one."),
            TagIssue(issue_id=issue_id, add=("printer",), actor=ALICE),
            LinkIssues(issue_id=issue_id, other=str(picked_id), actor=ALICE),
            UnlinkIssues(issue_id=picked_id, other=str(issue_id), actor=ALICE),
            MergeIssue(issue_id=picked_id, into=str(issue_id), actor=ALICE),
            FlagSlaWarning(issue_id=issue_id, goal="resolution", deadline="r:w:1", due_at=DUE),
            FlagSlaBreach(issue_id=issue_id, goal="resolution", deadline="r:b:1", due_at=DUE),
            MarkIssueAsResolved(issue_id=issue_id, resolution="done", actor=ALICE),
            ReopenIssue(issue_id=issue_id, reason="not done", actor=ALICE),
            MarkIssueAsResolved(issue_id=issue_id, resolution="done now", actor=ALICE),
            CloseIssue(issue_id=issue_id, actor=ALICE),
            RateSatisfaction(issue_id=issue_id, score=4, comment="Quick."),
        ]:
            bus.handle(command)
        self.raised = RememberingUnitOfWork.raised

    def because_the_log_is_read_back(self):
        self.read_back = [to_event(row) for row in RecordedEvent.objects.order_by("position")]

    def it_should_cover_every_event_type(self):
        expect({type(event) for event in self.raised}).to(equal(set(ALL_EVENTS)))

    def it_should_give_back_equal_events_in_the_same_order(self):
        expect(self.read_back).to(equal(self.raised))


@pytest.mark.django_db
class When_events_are_recorded_many_at_once:
    """As a batch of SLA flags writes them: one executemany, then their positions."""

    def given_the_events_of_an_issue_recorded_one_by_one(self):
        When_every_kind_of_event_is_recorded_and_read_back.given_an_issue_that_raises_every_kind_of_event(
            self
        )
        RecordedEvent.objects.all().delete()

    def because_they_are_recorded_many_at_once(self):
        self.positions = record_many(self.raised)
        self.read_back = [to_event(row) for row in RecordedEvent.objects.order_by("position")]

    def it_should_give_back_equal_events_in_the_same_order(self):
        expect(self.read_back).to(equal(self.raised))

    def it_should_answer_their_positions_in_the_order_given(self):
        expect(self.positions).to(
            equal(
                list(RecordedEvent.objects.order_by("position").values_list("position", flat=True))
            )
        )
        expect(self.positions).to(equal(sorted(self.positions)))
