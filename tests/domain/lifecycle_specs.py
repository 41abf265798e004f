"""The lifecycle table (issues_domain.lifecycle) is the one answer to "what may be done now":
each issue's `allowed_actions()` is what its methods accept, and nothing else."""

import uuid
from datetime import UTC, datetime

from expects import equal, expect

from issues_domain.lifecycle import (
    NOT_OFFERED_TO_STAFF,
    OPEN_STATUSES,
    Action,
    actions_for_staff,
    allowed_actions,
)
from issues_domain.sla_clock import TimerKind
from issues_domain.values import IssueStatus
from tests.domain.contexts import (
    ALICE,
    BOB,
    CATEGORIES,
    STAFF,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_a_triaged_issue,
    With_an_assigned_issue,
    report_an_issue,
)
from tests.domain.waiting_specs import With_an_assigned_issue_waiting_on_the_reporter
from tests.matchers import catch

TRIES = {
    Action.TRIAGE: lambda issue: issue.triage("network", "low", ALICE, CATEGORIES),
    Action.ASSIGN: lambda issue: issue.assign("carol", ALICE, STAFF),
    Action.PICK: lambda issue: issue.pick("carol"),
    Action.COMMENT: lambda issue: issue.comment(uuid.uuid4(), BOB, "Hello.", "public"),
    Action.AWAIT_REPORTER: lambda issue: issue.await_reporter(uuid.uuid4(), "Which?", BOB),
    Action.RESOLVE: lambda issue: issue.mark_as_resolved("Done.", BOB),
    Action.REOPEN: lambda issue: issue.reopen("Again.", BOB),
    Action.CLOSE: lambda issue: issue.close(ALICE),
    Action.TAG: lambda issue: issue.tag(("printer",), (), ALICE),
    Action.MERGE: lambda issue: issue.merge_into(report_an_issue(), ALICE),
    Action.LINK: lambda issue: issue.link(report_an_issue(), "related", ALICE),
    Action.FLAG_SLA: lambda issue: issue.flag_sla(
        TimerKind.BREACH, "resolution", "resolution:breach:57600", datetime(2026, 12, 7, tzinfo=UTC)
    ),
    Action.RATE: lambda issue: issue.rate_satisfaction(4, "Quick."),
    Action.WATCH: lambda issue: issue.add_watcher("jane@example.org", ALICE),
}
ORGANISE = {Action.TAG, Action.MERGE, Action.LINK, Action.WATCH}
# What an open issue allows besides its staff's work: the SLA process manager's flags.
PROCESS = {Action.FLAG_SLA}


class Accepts_exactly_what_it_allows:
    def it_should_accept_exactly_the_allowed_actions(self):
        allowed = self.issue.allowed_actions()
        accepted = set()
        for action, attempt in TRIES.items():
            fresh = self._copy()
            if catch(lambda fresh=fresh, attempt=attempt: attempt(fresh)) is None:
                accepted.add(action)
        expect(accepted).to(equal(set(allowed)))

    def it_should_allow_what_the_table_says(self):
        expect(self.issue.allowed_actions()).to(equal(self.expected))

    def _copy(self):
        import copy

        return copy.deepcopy(self.issue)


class When_asking_a_reported_issue(Accepts_exactly_what_it_allows, With_a_reported_issue):
    expected = (
        {
            Action.TRIAGE,
            Action.ASSIGN,
            Action.PICK,
            Action.COMMENT,
            Action.RESOLVE,
        }
        | ORGANISE
        | PROCESS
    )

    def because_nothing_happens(self):
        pass


class When_asking_a_triaged_issue(Accepts_exactly_what_it_allows, With_a_triaged_issue):
    expected = (
        {
            Action.TRIAGE,
            Action.ASSIGN,
            Action.PICK,
            Action.COMMENT,
            Action.RESOLVE,
            Action.AWAIT_REPORTER,
        }
        | ORGANISE
        | PROCESS
    )

    def because_nothing_happens(self):
        pass


class When_asking_an_assigned_issue(Accepts_exactly_what_it_allows, With_an_assigned_issue):
    expected = (
        {
            Action.TRIAGE,
            Action.ASSIGN,
            Action.COMMENT,
            Action.RESOLVE,
            Action.AWAIT_REPORTER,
        }
        | ORGANISE
        | PROCESS
    )

    def because_nothing_happens(self):
        pass


class When_asking_a_waiting_issue(
    Accepts_exactly_what_it_allows, With_an_assigned_issue_waiting_on_the_reporter
):
    expected = {Action.TRIAGE, Action.ASSIGN, Action.COMMENT, Action.RESOLVE} | ORGANISE | PROCESS

    def because_nothing_happens(self):
        pass


class When_asking_a_resolved_issue(Accepts_exactly_what_it_allows, With_a_resolved_issue):
    expected = {Action.COMMENT, Action.REOPEN, Action.CLOSE, Action.RATE} | ORGANISE

    def because_nothing_happens(self):
        pass


class When_asking_a_closed_issue(Accepts_exactly_what_it_allows, With_a_closed_issue):
    expected = {Action.LINK, Action.RATE}  # the reporter may still rate the resolution

    def because_nothing_happens(self):
        pass


class When_asking_which_statuses_are_open:
    def because_the_table_is_read(self):
        self.open = OPEN_STATUSES

    def it_should_be_those_with_work_to_do(self):
        expect(set(self.open)).to(
            equal(
                {
                    IssueStatus.REPORTED,
                    IssueStatus.TRIAGED,
                    IssueStatus.ASSIGNED,
                    IssueStatus.WAITING,
                }
            )
        )

    def it_should_never_offer_pick_when_somebody_has_it(self):
        expect(Action.PICK in allowed_actions("triaged", "bob")).to(equal(False))


class When_asking_what_staff_may_be_offered:
    def because_the_table_is_read_for_staff(self):
        self.offered = {status: actions_for_staff(status, None) for status in OPEN_STATUSES}

    def it_should_leave_out_what_only_a_process_sends(self):
        for status, offered in self.offered.items():
            expect(offered).to(equal(allowed_actions(status, None) - NOT_OFFERED_TO_STAFF))
            expect(Action.FLAG_SLA in offered).to(equal(False))
