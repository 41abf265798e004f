"""Each command through the bus: the handler loads the issue, the issue decides, the unit of
work stores the change and records its events in one commit, or stores and records nothing.
"""

import uuid

from expects import be_true, equal, expect, have_len

from issues_domain import commands
from issues_domain.events import (
    IssueAssigned,
    IssueClosed,
    IssueCommented,
    IssuePicked,
    IssueReassigned,
    IssueReopened,
    IssueReported,
    IssueResolved,
    IssueTriaged,
    SatisfactionRated,
)
from issues_domain.values import Actor, IssueStatus, Priority, Visibility
from tests.matchers import be_refused_with, catch, have_raised
from tests.service.contexts import (
    ALICE,
    BOB,
    Refused,
    With_a_bus,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_a_triaged_issue,
    With_an_assigned_issue,
    report_command,
)


class Committed:
    """Mix in: the command was accepted and its unit of work committed."""

    def it_should_commit(self):
        expect(self.uow.committed).to(be_true)


# -- ReportIssue -------------------------------------------------------------------------------


class When_handling_report_issue(Committed, With_a_bus):
    def given_a_report(self):
        self.command = report_command(category="network", priority="high")

    def because_the_bus_handles_it(self):
        self.issue_id = self.bus.handle(self.command)

    def it_should_return_the_id_the_command_chose(self):
        expect(self.issue_id).to(equal(self.command.issue_id))

    def it_should_store_a_reported_issue(self):
        expect((self.stored.status, self.stored.category, self.stored.priority)).to(
            equal((IssueStatus.REPORTED, "network", Priority.HIGH))
        )

    def it_should_give_it_the_log_s_next_reference(self):
        expect(self.stored.reference).to(equal("HD-1001"))

    def it_should_record_issue_reported(self):
        expect(self.uow.recorded_events()).to(have_len(1))
        expect(self.uow).to(
            have_raised(
                IssueReported,
                issue_id=self.issue_id,
                version=1,
                reference="HD-1001",
                reporter_email="fred@example.org",
            )
        )


class When_handling_a_report_with_bad_input(Refused, With_a_bus):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(report_command(reporter_email="fred", description=""))
        )

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
        expect(sorted(self.error.errors)).to(equal(["description", "reporter_email"]))


class When_handling_a_report_in_an_unknown_category(Refused, With_a_bus):
    def because_the_bus_handles_it(self):
        self.error = catch(lambda: self.bus.handle(report_command(category="plumbing")))

    def it_should_be_refused_as_an_unknown_category(self):
        expect(self.error).to(be_refused_with("unknown_category"))


# -- TriageIssue -------------------------------------------------------------------------------


class When_handling_triage_issue(Committed, With_a_reported_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.TriageIssue(
                issue_id=self.issue_id,
                category="network",
                priority="urgent",
                actor=ALICE,
                expected_version=1,
            )
        )

    def it_should_store_the_triaged_issue(self):
        expect((self.stored.status, self.stored.category, self.stored.priority)).to(
            equal((IssueStatus.TRIAGED, "network", Priority.URGENT))
        )

    def it_should_store_version_2(self):
        expect(self.stored.version).to(equal(2))

    def it_should_record_issue_triaged(self):
        expect(self.uow).to(have_raised(IssueTriaged, issue_id=self.issue_id, version=2))


class When_handling_triage_issue_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.TriageIssue(
                    issue_id=self.issue_id, category="network", priority="low", actor=ALICE
                )
            )
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_handling_triage_issue_for_a_resolved_issue(Refused, With_a_resolved_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.TriageIssue(
                    issue_id=self.issue_id, category="network", priority="low", actor=ALICE
                )
            )
        )

    def it_should_be_refused_because_it_is_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


# -- AssignIssue -------------------------------------------------------------------------------


class When_handling_assign_issue(Committed, With_a_triaged_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=ALICE))

    def it_should_store_the_assignment(self):
        expect((self.stored.status, self.stored.assignee)).to(equal((IssueStatus.ASSIGNED, "bob")))

    def it_should_record_issue_assigned(self):
        expect(self.uow).to(have_raised(IssueAssigned, version=3, assignee="bob", actor=ALICE))


class When_handling_assign_issue_for_an_assigned_issue(Committed, With_an_assigned_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(commands.AssignIssue(issue_id=self.issue_id, assignee="carol", actor=ALICE))

    def it_should_store_the_new_assignee(self):
        expect(self.stored.assignee).to(equal("carol"))

    def it_should_record_issue_reassigned(self):
        expect(self.uow).to(
            have_raised(IssueReassigned, version=4, assignee="carol", previous_assignee="bob")
        )


class When_handling_assign_issue_to_somebody_who_is_not_staff(Refused, With_a_triaged_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.AssignIssue(issue_id=self.issue_id, assignee="mallory", actor=ALICE)
            )
        )

    def it_should_be_refused_because_the_assignee_is_not_active_staff(self):
        expect(self.error).to(be_refused_with("assignee_not_active_staff"))


class When_handling_assign_issue_for_a_resolved_issue(Refused, With_a_resolved_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.AssignIssue(issue_id=self.issue_id, assignee="carol", actor=ALICE)
            )
        )

    def it_should_be_refused_because_it_is_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class When_handling_assign_issue_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.AssignIssue(issue_id=self.issue_id, assignee="carol", actor=ALICE)
            )
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- PickIssue ---------------------------------------------------------------------------------


class When_handling_pick_issue(Committed, With_a_triaged_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(commands.PickIssue(issue_id=self.issue_id, engineer="carol"))

    def it_should_store_the_picker_as_assignee(self):
        expect((self.stored.status, self.stored.assignee)).to(
            equal((IssueStatus.ASSIGNED, "carol"))
        )

    def it_should_record_issue_picked(self):
        expect(self.uow).to(have_raised(IssuePicked, version=3, engineer="carol"))


class When_handling_pick_issue_for_an_assigned_issue(Refused, With_an_assigned_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(commands.PickIssue(issue_id=self.issue_id, engineer="carol"))
        )

    def it_should_be_refused_because_it_is_already_assigned(self):
        expect(self.error).to(be_refused_with("issue_already_assigned"))


class When_handling_pick_issue_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(commands.PickIssue(issue_id=self.issue_id, engineer="carol"))
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- CommentOnIssue ----------------------------------------------------------------------------


class When_handling_comment_on_issue(Committed, With_an_assigned_issue):
    def given_a_comment(self):
        self.comment_id = uuid.uuid4()

    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.CommentOnIssue(
                issue_id=self.issue_id,
                author=BOB,
                body="Ordered a new fuser.",
                visibility="internal",
                comment_id=self.comment_id,
            )
        )

    def it_should_store_the_comment(self):
        expect([(c.id, c.body, c.visibility) for c in self.stored.comments]).to(
            equal([(self.comment_id, "Ordered a new fuser.", Visibility.INTERNAL)])
        )

    def it_should_keep_the_status(self):
        expect(self.stored.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_record_issue_commented(self):
        expect(self.uow).to(
            have_raised(
                IssueCommented, version=4, comment_id=self.comment_id, assignee="bob", actor=BOB
            )
        )


class When_handling_a_reporter_s_internal_comment(Refused, With_a_reported_issue):
    def because_the_bus_handles_it(self):
        fred = Actor.reporter(self.stored.reporter)
        self.error = catch(
            lambda: self.bus.handle(
                commands.CommentOnIssue(
                    issue_id=self.issue_id, author=fred, body="Psst", visibility="internal"
                )
            )
        )

    def it_should_be_refused_because_reporter_comments_are_public(self):
        expect(self.error).to(be_refused_with("reporter_notes_are_public"))


class When_handling_comment_on_issue_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.CommentOnIssue(issue_id=self.issue_id, author=BOB, body="One more thing")
            )
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- MarkIssueAsResolved -----------------------------------------------------------------------


class When_handling_mark_issue_as_resolved(Committed, With_an_assigned_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.MarkIssueAsResolved(issue_id=self.issue_id, resolution="Fixed.", actor=BOB)
        )

    def it_should_store_the_resolution(self):
        expect((self.stored.status, self.stored.resolution)).to(
            equal((IssueStatus.RESOLVED, "Fixed."))
        )

    def it_should_record_issue_resolved(self):
        expect(self.uow).to(
            have_raised(
                IssueResolved, version=4, resolution="Fixed.", reporter_email="fred@example.org"
            )
        )


class When_handling_mark_issue_as_resolved_a_second_time(Refused, With_a_resolved_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.MarkIssueAsResolved(issue_id=self.issue_id, resolution="Again.", actor=BOB)
            )
        )

    def it_should_be_refused_because_it_is_already_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class When_handling_mark_issue_as_resolved_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.MarkIssueAsResolved(issue_id=self.issue_id, resolution="Again.", actor=BOB)
            )
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- ReopenIssue -------------------------------------------------------------------------------


class When_handling_reopen_issue(Committed, With_a_resolved_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.ReopenIssue(issue_id=self.issue_id, reason="Still smoking.", actor=ALICE)
        )

    def it_should_store_the_issue_assigned_again_without_a_resolution(self):
        expect((self.stored.status, self.stored.assignee, self.stored.resolution)).to(
            equal((IssueStatus.ASSIGNED, "bob", None))
        )

    def it_should_record_issue_reopened(self):
        expect(self.uow).to(
            have_raised(IssueReopened, version=5, reason="Still smoking.", status="assigned")
        )


class When_handling_reopen_issue_for_an_open_issue(Refused, With_an_assigned_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.ReopenIssue(issue_id=self.issue_id, reason="Why not?", actor=ALICE)
            )
        )

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_handling_reopen_issue_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.ReopenIssue(issue_id=self.issue_id, reason="Why not?", actor=ALICE)
            )
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- CloseIssue --------------------------------------------------------------------------------


class When_handling_close_issue(Committed, With_a_resolved_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(commands.CloseIssue(issue_id=self.issue_id, actor=ALICE))

    def it_should_store_the_closed_issue(self):
        expect((self.stored.status, self.stored.version)).to(equal((IssueStatus.CLOSED, 5)))

    def it_should_record_issue_closed(self):
        expect(self.uow).to(have_raised(IssueClosed, version=5, actor=ALICE))


class When_handling_close_issue_for_an_open_issue(Refused, With_a_triaged_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(commands.CloseIssue(issue_id=self.issue_id, actor=ALICE))
        )

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_handling_close_issue_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(commands.CloseIssue(issue_id=self.issue_id, actor=ALICE))
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- RateSatisfaction --------------------------------------------------------------------------


class When_handling_rate_satisfaction(Committed, With_a_resolved_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.RateSatisfaction(issue_id=self.issue_id, score=4, comment="Thanks.")
        )

    def it_should_record_satisfaction_rated_by_the_reporter(self):
        expect(self.uow).to(
            have_raised(
                SatisfactionRated,
                issue_id=self.issue_id,
                score=4,
                comment="Thanks.",
                actor=Actor.reporter(self.stored.reporter),
            )
        )


class When_handling_rate_satisfaction_for_an_open_issue(Refused, With_an_assigned_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(commands.RateSatisfaction(issue_id=self.issue_id, score=4))
        )

    def it_should_be_refused_as_never_resolved(self):
        expect(self.error).to(be_refused_with("issue_never_resolved"))


class When_handling_rate_satisfaction_out_of_range(Refused, With_a_resolved_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(commands.RateSatisfaction(issue_id=self.issue_id, score=6))
        )

    def it_should_be_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
