"""Unknown issues, stale versions and lost races: the bus never loses or half-writes an update.

A client acting on a version that is no longer current is refused at once (stale_version). A
write that turns stale at commit, because somebody else committed first, is re-run against
fresh state a few times, then refused with concurrent_update.
"""

import uuid

from expects import be_empty, be_false, be_true, equal, expect, have_len

from issues_domain import commands
from issues_domain.events import IssueAssigned, IssueTriaged
from issues_domain.values import IssueStatus, Priority
from tests.fakes import FakeUnitOfWork, RacingUnitOfWork, StaleUnitOfWork
from tests.matchers import be_refused_with, catch, have_raised
from tests.service.contexts import (
    ALICE,
    BOB,
    Refused,
    With_a_resolved_issue,
    With_a_triaged_issue,
    With_an_assigned_issue,
)


def every_command_on(issue_id: uuid.UUID, expected_version: int | None = None) -> list:
    """One of each command that acts on an existing issue."""
    version = {"expected_version": expected_version}
    return [
        commands.TriageIssue(
            issue_id=issue_id, category="network", priority="low", actor=ALICE, **version
        ),
        commands.AssignIssue(issue_id=issue_id, assignee="carol", actor=ALICE, **version),
        commands.PickIssue(issue_id=issue_id, engineer="carol", **version),
        commands.CommentOnIssue(issue_id=issue_id, author=BOB, body="Hello", **version),
        commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Fixed.", actor=BOB, **version),
        commands.ReopenIssue(issue_id=issue_id, reason="Broken.", actor=ALICE, **version),
        commands.CloseIssue(issue_id=issue_id, actor=ALICE, **version),
    ]


# -- unknown issues ----------------------------------------------------------------------------


class When_acting_on_an_issue_that_does_not_exist(Refused, With_a_triaged_issue):
    def because_each_command_names_an_unknown_id(self):
        self.errors = [
            catch(lambda c=c: self.bus.handle(c)) for c in every_command_on(uuid.uuid4())
        ]

    def it_should_refuse_every_command_with_issue_not_found(self):
        expect([error.code for error in self.errors]).to(equal(["issue_not_found"] * 7))


# -- stale versions ----------------------------------------------------------------------------


class When_triaging_with_a_stale_expected_version(Refused, With_an_assigned_issue):
    def because_the_client_still_shows_version_2(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.TriageIssue(
                    issue_id=self.issue_id,
                    category="network",
                    priority="low",
                    actor=ALICE,
                    expected_version=2,
                )
            )
        )

    def it_should_be_refused_as_stale(self):
        expect(self.error).to(be_refused_with("stale_version"))

    def it_should_say_which_versions_differ(self):
        expect((self.error.expected, self.error.actual)).to(equal((2, 3)))


class When_sending_every_command_with_a_stale_expected_version(Refused, With_a_resolved_issue):
    def because_each_command_expects_version_1(self):
        self.errors = [
            catch(lambda c=c: self.bus.handle(c)) for c in every_command_on(self.issue_id, 1)
        ]

    def it_should_refuse_every_command_as_stale(self):
        expect([error.code for error in self.errors]).to(equal(["stale_version"] * 7))


class When_sending_a_command_with_the_current_expected_version(With_a_resolved_issue):
    def because_the_client_expects_version_4(self):
        self.bus.handle(
            commands.CloseIssue(issue_id=self.issue_id, actor=ALICE, expected_version=4)
        )

    def it_should_be_accepted(self):
        expect((self.stored.status, self.stored.version)).to(equal((IssueStatus.CLOSED, 5)))


# -- lost races --------------------------------------------------------------------------------


class With_a_triaged_issue_whose_commits_go_stale(With_a_triaged_issue):
    """The first `stale_commits` commits after arranging find the issue changed underneath."""

    stale_commits = 0

    def make_unit_of_work(self) -> FakeUnitOfWork:
        return StaleUnitOfWork(stale_commits=0, staff=("alice", "bob", "carol"))

    def given_commits_go_stale_from_now_on(self):
        self.uow.stale_commits = self.uow.commit_attempts + self.stale_commits
        self.attempts_before = self.uow.commit_attempts

    @property
    def attempts(self) -> int:
        return self.uow.commit_attempts - self.attempts_before

    def assign_to_bob(self):
        return self.bus.handle(
            commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=ALICE)
        )


class When_a_commit_goes_stale_twice(With_a_triaged_issue_whose_commits_go_stale):
    stale_commits = 2

    def because_alice_assigns_the_issue(self):
        self.error = catch(self.assign_to_bob)

    def it_should_succeed_in_the_end(self):
        expect(self.error).to(equal(None))

    def it_should_run_the_command_three_times(self):
        expect(self.attempts).to(equal(3))

    def it_should_store_the_change_once(self):
        expect((self.stored.assignee, self.stored.version)).to(equal(("bob", 3)))

    def it_should_record_its_event_once(self):
        expect(self.uow.recorded_events()).to(have_len(1))
        expect(self.uow).to(have_raised(IssueAssigned, version=3, assignee="bob"))


class When_a_commit_keeps_going_stale(With_a_triaged_issue_whose_commits_go_stale):
    stale_commits = 1000

    def because_alice_assigns_the_issue(self):
        self.error = catch(self.assign_to_bob)

    def it_should_be_refused_as_a_concurrent_update(self):
        expect(self.error).to(be_refused_with("concurrent_update"))

    def it_should_give_up_after_the_bus_s_attempts(self):
        expect(self.attempts).to(equal(self.bus.stale_write_policy.attempts))

    def it_should_try_more_than_once(self):
        expect(self.attempts > 1).to(be_true)

    def it_should_store_nothing(self):
        expect((self.stored.assignee, self.stored.version)).to(equal((None, 2)))

    def it_should_commit_nothing(self):
        expect(self.uow.committed).to(be_false)

    def it_should_record_no_event(self):
        expect(self.uow.recorded_events()).to(be_empty)


class When_a_domain_refusal_happens_during_a_race(With_a_triaged_issue_whose_commits_go_stale):
    stale_commits = 1000

    def because_the_command_is_refused_before_it_commits(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.AssignIssue(issue_id=self.issue_id, assignee="mallory", actor=ALICE)
            )
        )

    def it_should_be_refused_with_the_domain_error(self):
        expect(self.error).to(be_refused_with("assignee_not_active_staff"))

    def it_should_not_retry_it(self):
        expect(self.attempts).to(equal(0))


class When_somebody_else_triages_the_issue_while_alice_assigns_it(With_a_triaged_issue):
    """A real race: the rival's commit lands first, so Alice's must be redone on fresh state."""

    def make_unit_of_work(self) -> FakeUnitOfWork:
        def carol_triages(issue):
            issue.triage("network", "urgent", ALICE, self.uow.categories)

        return RacingUnitOfWork(rival=carol_triages, races=0, staff=("alice", "bob", "carol"))

    def given_the_next_commit_loses_the_race(self):
        self.uow.races = self.uow.commit_attempts + 1

    def because_alice_assigns_the_issue(self):
        self.bus.handle(commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=ALICE))

    def it_should_keep_the_rival_s_triage(self):
        expect((self.stored.category, self.stored.priority)).to(equal(("network", Priority.URGENT)))

    def it_should_keep_alice_s_assignment_on_top_of_it(self):
        expect((self.stored.assignee, self.stored.status)).to(equal(("bob", IssueStatus.ASSIGNED)))

    def it_should_count_both_changes_in_the_version(self):
        expect(self.stored.version).to(equal(4))

    def it_should_record_alice_s_event_at_the_version_after_the_rival_s(self):
        expect(self.uow).to(have_raised(IssueAssigned, version=4, assignee="bob"))
        expect(self.uow).not_to(have_raised(IssueTriaged))
