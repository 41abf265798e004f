import uuid

import pytest
from django.db.models import F
from expects import be_a, be_none, equal, expect, have_len

from issues_adapters.persistence.models import CommentRecord, IssueRecord, RecordedEvent
from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
from issues_adapters.wiring import message_bus
from issues_domain.commands import (
    AssignIssue,
    CommentOnIssue,
    MarkIssueAsResolved,
    TriageIssue,
)
from issues_domain.errors import IssueNotFound
from issues_domain.values import Actor, IssueReporter, IssueStatus, Priority, Visibility
from issues_service.unit_of_work import StaleWrite
from tests.adapters.contexts import ALICE, load, make_staff, report_an_issue
from tests.matchers import catch


@pytest.mark.django_db
class When_an_issue_with_every_field_set_is_stored_and_loaded_again:
    def given_an_issue_that_has_been_through_the_lifecycle(self):
        make_staff("alice")
        bus = message_bus()
        self.issue_id = report_an_issue(description="Line one\n\tline two")
        bus.handle(
            TriageIssue(issue_id=self.issue_id, category="network", priority="urgent", actor=ALICE)
        )
        bus.handle(AssignIssue(issue_id=self.issue_id, assignee="alice", actor=ALICE))
        bus.handle(
            CommentOnIssue(
                issue_id=self.issue_id, author=ALICE, body="Looking", visibility="internal"
            )
        )
        self.reporter = Actor.reporter(IssueReporter("Fred Bloggs", "fred@example.org"))
        bus.handle(
            CommentOnIssue(issue_id=self.issue_id, author=self.reporter, body="Still on fire")
        )
        bus.handle(MarkIssueAsResolved(issue_id=self.issue_id, resolution="Put out", actor=ALICE))

    def because_it_is_loaded(self):
        self.issue = load(self.issue_id)
        self.row = IssueRecord.objects.get(id=self.issue_id)

    def it_should_keep_the_reporter(self):
        expect(self.issue.reporter).to(equal(IssueReporter("Fred Bloggs", "fred@example.org")))

    def it_should_keep_the_description_with_its_line_breaks(self):
        expect(self.issue.description).to(equal("Line one\n\tline two"))

    def it_should_keep_status_category_priority_assignee_and_resolution(self):
        expect(
            (
                self.issue.status,
                self.issue.category,
                self.issue.priority,
                self.issue.assignee,
                self.issue.resolution,
            )
        ).to(equal((IssueStatus.RESOLVED, "network", Priority.URGENT, "alice", "Put out")))

    def it_should_keep_the_version(self):
        expect(self.issue.version).to(equal(6))

    def it_should_keep_the_reference_and_tracking_token(self):
        expect(self.issue.reference).to(equal(self.row.reference))
        expect(self.issue.tracking_token).to(equal(self.row.tracking_token))
        expect(len(self.issue.tracking_token) >= 32).to(equal(True))

    def it_should_keep_the_times(self):
        expect(self.issue.reported_at).to(equal(self.row.reported_at))
        expect(self.issue.updated_at > self.issue.reported_at).to(equal(True))

    def it_should_keep_both_comments_in_order_with_author_and_visibility(self):
        expect(self.issue.comments).to(have_len(2))
        staff_note, reporter_comment = self.issue.comments
        expect((staff_note.author, staff_note.body, staff_note.visibility)).to(
            equal((ALICE, "Looking", Visibility.INTERNAL))
        )
        expect((reporter_comment.author, reporter_comment.visibility)).to(
            equal((self.reporter, Visibility.PUBLIC))
        )

    def it_should_record_one_event_per_change(self):
        expect(
            list(
                RecordedEvent.objects.filter(issue_id=self.issue_id).values_list(
                    "event_type", "issue_version"
                )
            )
        ).to(
            equal(
                [
                    ("IssueReported", 1),
                    ("IssueTriaged", 2),
                    ("IssueAssigned", 3),
                    ("IssueCommented", 4),
                    ("IssueCommented", 5),
                    ("IssueResolved", 6),
                ]
            )
        )


@pytest.mark.django_db
class When_two_issues_are_reported:
    def because_two_people_report(self):
        self.first = load(report_an_issue())
        self.second = load(report_an_issue())

    def it_should_give_them_different_increasing_references(self):
        first = int(self.first.reference.removeprefix("HD-"))
        second = int(self.second.reference.removeprefix("HD-"))
        expect(second > first > 1000).to(equal(True))

    def it_should_give_them_different_tracking_tokens(self):
        expect(self.first.tracking_token == self.second.tracking_token).to(equal(False))


@pytest.mark.django_db
class When_a_write_is_stale:
    def given_I_loaded_an_issue_and_resolved_it(self):
        self.issue_id = report_an_issue()
        self.uow = DjangoUnitOfWork().__enter__()
        self.uow.issues.get(self.issue_id).mark_as_resolved("first", ALICE)

    def because_somebody_else_saved_a_change_before_my_commit(self):
        # What another process's commit looks like from this row: a newer version.
        IssueRecord.objects.filter(id=self.issue_id).update(version=F("version") + 1)
        self.error = catch(self.uow.commit)
        self.uow.__exit__(type(self.error), self.error, None)

    def it_should_refuse_the_stale_write(self):
        expect(self.error).to(be_a(StaleWrite))

    def it_should_write_nothing_of_mine(self):
        issue = load(self.issue_id)
        expect((issue.status, issue.resolution)).to(equal((IssueStatus.REPORTED, None)))

    def it_should_record_no_event_for_the_refused_write(self):
        expect(
            RecordedEvent.objects.filter(issue_id=self.issue_id, event_type="IssueResolved").count()
        ).to(equal(0))


@pytest.mark.django_db
class When_loading_an_issue_that_does_not_exist:
    def because_it_is_loaded(self):
        self.error = catch(lambda: load(uuid.uuid4()))

    def it_should_say_so(self):
        expect(type(self.error)).to(equal(IssueNotFound))


@pytest.mark.django_db
class When_a_command_is_refused:
    def given_a_resolved_issue(self):
        self.issue_id = report_an_issue()
        message_bus().handle(
            MarkIssueAsResolved(issue_id=self.issue_id, resolution="done", actor=ALICE)
        )
        self.events_before = RecordedEvent.objects.count()

    def because_somebody_comments_with_an_empty_body(self):
        self.error = catch(
            lambda: message_bus().handle(
                CommentOnIssue(issue_id=self.issue_id, author=ALICE, body="   ")
            )
        )

    def it_should_fail_loudly(self):
        expect(self.error.code).to(equal("invalid_input"))

    def it_should_store_no_comment_and_no_event(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))
        expect(RecordedEvent.objects.count()).to(equal(self.events_before))

    def it_should_leave_the_version_alone(self):
        expect(IssueRecord.objects.get(id=self.issue_id).version).to(equal(2))


@pytest.mark.django_db
class When_a_report_is_invalid:
    def because_somebody_reports_without_a_description(self):
        self.error = catch(lambda: report_an_issue(description="", category="nonsense"))

    def it_should_name_every_bad_field(self):
        expect(sorted(self.error.errors)).to(equal(["category", "description"]))

    def it_should_store_nothing(self):
        expect(IssueRecord.objects.count()).to(equal(0))
        expect(RecordedEvent.objects.count()).to(equal(0))

    def it_should_store_no_resolution(self):
        expect(IssueRecord.objects.filter(resolution__isnull=False).first()).to(be_none)
