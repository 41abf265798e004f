"""Resolving, reopening and closing.

An open issue can be resolved once; a resolved issue can be reopened (back to where it was:
assigned if somebody has it, else triaged if it has a category, else reported) or closed.
Closed is final.
"""

from expects import be_none, equal, expect, have_len

from issues_domain.events import IssueClosed, IssueReopened, IssueResolved
from issues_domain.values import Actor, IssueStatus
from tests.domain.contexts import (
    ALICE,
    BOB,
    Refused,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_a_triaged_issue,
    With_an_assigned_issue,
    With_an_issue_resolved_after_triage,
    With_an_issue_resolved_right_after_it_was_reported,
    report_an_issue,
)
from tests.matchers import be_refused_with, catch, have_raised

# -- resolving ---------------------------------------------------------------------------------


class When_resolving_an_assigned_issue(With_an_assigned_issue):
    def because_bob_resolves_it(self):
        self.issue.mark_as_resolved("Replaced the fuser.", BOB)

    def it_should_be_resolved(self):
        expect(self.issue.status).to(equal(IssueStatus.RESOLVED))

    def it_should_keep_the_resolution(self):
        expect(self.issue.resolution).to(equal("Replaced the fuser."))

    def it_should_keep_the_assignee(self):
        expect(self.issue.assignee).to(equal("bob"))

    def it_should_move_to_version_4(self):
        expect(self.issue.version).to(equal(4))

    def it_should_raise_issue_resolved_with_the_reporter_to_tell(self):
        expect(self.issue).to(
            have_raised(
                IssueResolved,
                version=4,
                actor=BOB,
                resolution="Replaced the fuser.",
                reporter_email="fred@example.org",
            )
        )

    def it_should_raise_nothing_else(self):
        expect(self.issue.events).to(have_len(1))


class When_resolving_a_reported_issue(With_a_reported_issue):
    def because_alice_resolves_it_at_once(self):
        self.issue.mark_as_resolved("Duplicate of HD-1000.", ALICE)

    def it_should_be_resolved(self):
        expect(self.issue.status).to(equal(IssueStatus.RESOLVED))

    def it_should_raise_issue_resolved(self):
        expect(self.issue).to(have_raised(IssueResolved, version=2))


class When_resolving_a_triaged_issue(With_a_triaged_issue):
    def because_alice_resolves_it(self):
        self.issue.mark_as_resolved("Fixed upstream.", ALICE)

    def it_should_be_resolved(self):
        expect(self.issue.status).to(equal(IssueStatus.RESOLVED))

    def it_should_raise_issue_resolved(self):
        expect(self.issue).to(have_raised(IssueResolved, version=3))


class When_resolving_an_issue_a_second_time(Refused, With_a_resolved_issue):
    def because_bob_resolves_it_again(self):
        self.error = catch(lambda: self.issue.mark_as_resolved("Really fixed now.", BOB))

    def it_should_be_refused_because_it_is_already_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class When_resolving_a_closed_issue(Refused, With_a_closed_issue):
    def because_bob_tries_to_resolve_it(self):
        self.error = catch(lambda: self.issue.mark_as_resolved("Fixed.", BOB))

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_resolving_without_a_resolution(Refused, With_an_assigned_issue):
    def because_bob_says_nothing(self):
        self.error = catch(lambda: self.issue.mark_as_resolved("", BOB))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))


# -- reopening ---------------------------------------------------------------------------------


class When_reopening_an_issue_somebody_was_assigned_to(With_a_resolved_issue):
    def because_the_reporter_says_it_is_still_broken(self):
        self.issue.reopen("Still on fire.", Actor.reporter(self.issue.reporter))

    def it_should_be_assigned_again(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_keep_the_assignee(self):
        expect(self.issue.assignee).to(equal("bob"))

    def it_should_forget_the_resolution(self):
        expect(self.issue.resolution).to(be_none)

    def it_should_move_to_version_5(self):
        expect(self.issue.version).to(equal(5))

    def it_should_raise_issue_reopened_with_the_reason_and_who_has_it(self):
        expect(self.issue).to(
            have_raised(
                IssueReopened,
                version=5,
                actor=Actor.reporter(self.issue.reporter),
                reason="Still on fire.",
                status=IssueStatus.ASSIGNED,
                assignee="bob",
            )
        )


class When_reopening_a_triaged_issue_nobody_was_assigned_to(With_an_issue_resolved_after_triage):
    def because_alice_reopens_it(self):
        self.issue.reopen("The upstream fix did not help.", ALICE)

    def it_should_be_triaged_again(self):
        expect(self.issue.status).to(equal(IssueStatus.TRIAGED))

    def it_should_raise_issue_reopened(self):
        expect(self.issue).to(
            have_raised(IssueReopened, version=4, status=IssueStatus.TRIAGED, assignee=None)
        )


class When_reopening_an_issue_that_was_never_triaged(
    With_an_issue_resolved_right_after_it_was_reported
):
    def because_alice_reopens_it(self):
        self.issue.reopen("Not a duplicate after all.", ALICE)

    def it_should_be_reported_again(self):
        expect(self.issue.status).to(equal(IssueStatus.REPORTED))

    def it_should_raise_issue_reopened(self):
        expect(self.issue).to(have_raised(IssueReopened, version=3, status=IssueStatus.REPORTED))


class When_reopening_an_issue_reported_with_a_category_but_never_triaged:
    def given_an_issue_reported_in_a_category_and_resolved(self):
        self.issue = report_an_issue(category="network")
        self.issue.mark_as_resolved("Rebooted the router.", ALICE)

    def because_alice_reopens_it(self):
        self.issue.reopen("It is down again.", ALICE)

    def it_should_be_triaged_because_it_has_a_category(self):
        expect(self.issue.status).to(equal(IssueStatus.TRIAGED))


class When_reopening_an_issue_with_no_reason(Refused, With_a_resolved_issue):
    def because_alice_gives_no_reason(self):
        self.error = catch(lambda: self.issue.reopen("   ", ALICE))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))


class When_reopening_a_reported_issue(Refused, With_a_reported_issue):
    def because_alice_tries_to_reopen_it(self):
        self.error = catch(lambda: self.issue.reopen("Why not?", ALICE))

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_reopening_a_triaged_issue(Refused, With_a_triaged_issue):
    def because_alice_tries_to_reopen_it(self):
        self.error = catch(lambda: self.issue.reopen("Why not?", ALICE))

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_reopening_an_assigned_issue(Refused, With_an_assigned_issue):
    def because_alice_tries_to_reopen_it(self):
        self.error = catch(lambda: self.issue.reopen("Why not?", ALICE))

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_reopening_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_reporter_tries_to_reopen_it(self):
        self.error = catch(
            lambda: self.issue.reopen("Still broken.", Actor.reporter(self.issue.reporter))
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- closing -----------------------------------------------------------------------------------


class When_closing_a_resolved_issue(With_a_resolved_issue):
    def because_alice_closes_it(self):
        self.issue.close(ALICE)

    def it_should_be_closed(self):
        expect(self.issue.status).to(equal(IssueStatus.CLOSED))

    def it_should_keep_the_resolution_and_assignee(self):
        expect((self.issue.resolution, self.issue.assignee)).to(
            equal(("Replaced the fuser.", "bob"))
        )

    def it_should_move_to_version_5(self):
        expect(self.issue.version).to(equal(5))

    def it_should_raise_issue_closed(self):
        expect(self.issue).to(
            have_raised(IssueClosed, issue_id=self.issue.id, version=5, actor=ALICE)
        )

    def it_should_raise_nothing_else(self):
        expect(self.issue.events).to(have_len(1))


class When_closing_a_reported_issue(Refused, With_a_reported_issue):
    def because_alice_tries_to_close_it(self):
        self.error = catch(lambda: self.issue.close(ALICE))

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_closing_a_triaged_issue(Refused, With_a_triaged_issue):
    def because_alice_tries_to_close_it(self):
        self.error = catch(lambda: self.issue.close(ALICE))

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_closing_an_assigned_issue(Refused, With_an_assigned_issue):
    def because_alice_tries_to_close_it(self):
        self.error = catch(lambda: self.issue.close(ALICE))

    def it_should_be_refused_because_it_is_not_resolved(self):
        expect(self.error).to(be_refused_with("issue_not_resolved"))


class When_closing_an_issue_a_second_time(Refused, With_a_closed_issue):
    def because_alice_closes_it_again(self):
        self.error = catch(lambda: self.issue.close(ALICE))

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))
