"""AwaitReporter and the composer's ReplyToIssue through the bus: the reply and the status
change are one commit with their events, or nothing is stored."""

from expects import be_true, equal, expect

from issues_domain import commands
from issues_domain.events import (
    IssueAwaitingReporter,
    IssueCommented,
    IssueResolved,
    ReporterAnswered,
)
from issues_domain.values import Actor, FollowUp, IssueStatus
from tests.matchers import be_refused_with, catch, have_raised
from tests.service.contexts import (
    BOB,
    Refused,
    With_a_reported_issue,
    With_an_assigned_issue,
)


class When_handling_await_reporter(With_an_assigned_issue):
    def because_bob_asks_the_reporter(self):
        self.bus.handle(
            commands.AwaitReporter(issue_id=self.issue_id, comment="Which model?", actor=BOB)
        )

    def it_should_commit_a_waiting_issue_with_the_question(self):
        expect(self.uow.committed).to(be_true)
        expect((self.stored.status, self.stored.comments[-1].body)).to(
            equal((IssueStatus.WAITING, "Which model?"))
        )

    def it_should_record_issue_awaiting_reporter(self):
        expect(self.uow.recorded_events()).to(
            have_raised(IssueAwaitingReporter, status=IssueStatus.WAITING)
        )


class With_a_waiting_issue(With_an_assigned_issue):
    def given_bob_waits_on_the_reporter(self):
        self.bus.handle(
            commands.AwaitReporter(issue_id=self.issue_id, comment="Which model?", actor=BOB)
        )
        self.settle()


class When_the_reporter_answers_through_the_bus(With_a_waiting_issue):
    def because_the_reporter_comments(self):
        reporter = Actor.reporter(self.stored.reporter)
        self.bus.handle(
            commands.CommentOnIssue(issue_id=self.issue_id, author=reporter, body="An HP 4.")
        )

    def it_should_store_the_issue_assigned_again(self):
        expect(self.stored.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_record_the_comment_and_reporter_answered_in_one_commit(self):
        recorded = self.uow.recorded_events()
        expect([type(event) for event in recorded]).to(equal([IssueCommented, ReporterAnswered]))
        expect(recorded).to(have_raised(ReporterAnswered, returned_to=IssueStatus.ASSIGNED))


class When_replying_and_resolving(With_an_assigned_issue):
    def because_bob_sends_and_resolves(self):
        self.bus.handle(
            commands.ReplyToIssue(
                issue_id=self.issue_id,
                author=BOB,
                body="Replaced the fuser.",
                follow_up=FollowUp.RESOLVE,
            )
        )

    def it_should_commit_the_resolution(self):
        expect((self.uow.committed, self.stored.status)).to(equal((True, IssueStatus.RESOLVED)))

    def it_should_record_issue_resolved(self):
        expect(self.uow.recorded_events()).to(have_raised(IssueResolved))


class When_replying_and_waiting_on_a_stale_version(Refused, With_an_assigned_issue):
    def because_bob_sends_against_version_1(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.ReplyToIssue(
                    issue_id=self.issue_id,
                    author=BOB,
                    body="Which model?",
                    follow_up=FollowUp.AWAIT_REPORTER,
                    expected_version=1,
                )
            )
        )

    def it_should_be_refused_as_stale(self):
        expect(self.error).to(be_refused_with("stale_version"))


class When_replying_and_waiting_before_triage(Refused, With_a_reported_issue):
    def because_bob_sends_and_waits(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.ReplyToIssue(
                    issue_id=self.issue_id,
                    author=BOB,
                    body="Which model?",
                    follow_up=FollowUp.AWAIT_REPORTER,
                )
            )
        )

    def it_should_be_refused_and_keep_no_comment(self):
        expect(self.error).to(be_refused_with("issue_cannot_await_reporter"))
