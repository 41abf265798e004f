"""SLA through the bus: a report under a policy records its targets; the process manager's
commands flag a deadline once, and a second flag of it is refused."""

from datetime import UTC, datetime, timedelta

from expects import equal, expect

from issues_domain import commands
from issues_domain.business_hours import BusinessCalendar
from issues_domain.events import IssueReported, SlaBreached, SlaTargeted, SlaWarned
from issues_domain.sla import SlaPolicy
from tests.fakes import FakeSlaPolicies, FakeUnitOfWork, RacingUnitOfWork
from tests.matchers import be_refused_with, catch, have_raised
from tests.service.contexts import ALICE, Refused, With_a_bus, report_command

DUE = datetime(2026, 12, 7, 11, tzinfo=UTC)
DEFAULT = SlaPolicy.create(
    name="default",
    first_response=timedelta(hours=8),
    resolution=timedelta(hours=40),
    calendar=BusinessCalendar.always(),
)


class With_a_bus_and_a_policy(With_a_bus):
    def make_unit_of_work(self) -> FakeUnitOfWork:
        uow = FakeUnitOfWork(staff=("alice", "bob"))
        uow.sla_policies = FakeSlaPolicies(DEFAULT)
        return uow


class When_reporting_under_a_policy(With_a_bus_and_a_policy):
    def because_fred_reports(self):
        self.issue_id = self.bus.handle(report_command())

    def it_should_record_the_report_then_the_targets(self):
        expect([type(event) for event in self.uow.recorded_events()]).to(
            equal([IssueReported, SlaTargeted])
        )

    def it_should_record_the_policys_targets(self):
        expect(self.uow).to(
            have_raised(SlaTargeted, first_response_seconds=8 * 3600, resolution_seconds=40 * 3600)
        )


def breach(issue_id) -> commands.FlagSlaBreach:
    return commands.FlagSlaBreach(
        issue_id=issue_id, goal="resolution", deadline="resolution:breach:144000", due_at=DUE
    )


class With_a_reported_issue_under_a_policy(With_a_bus_and_a_policy):
    def given_a_reported_issue(self):
        self.issue_id = self.bus.handle(report_command())
        self.settle()


class When_the_process_manager_flags_a_breach(With_a_reported_issue_under_a_policy):
    def because_it_flags_the_resolution_breach(self):
        self.bus.handle(breach(self.issue_id))

    def it_should_record_the_breach(self):
        expect(self.uow).to(have_raised(SlaBreached, deadline="resolution:breach:144000"))

    def it_should_remember_the_deadline_on_the_issue(self):
        expect(self.stored.sla_flags).to(equal(frozenset({"resolution:breach:144000"})))

    def it_should_load_the_issue_without_its_timeline(self):
        expect(self.uow.issues.loaded_without_timeline).to(equal([self.issue_id]))


class When_the_process_manager_flags_a_warning(With_a_reported_issue_under_a_policy):
    def because_it_flags_the_first_response_warning(self):
        self.bus.handle(
            commands.FlagSlaWarning(
                issue_id=self.issue_id,
                goal="first_response",
                deadline="first_response:warning:28800",
                due_at=DUE,
            )
        )

    def it_should_record_the_warning(self):
        expect(self.uow).to(have_raised(SlaWarned, deadline="first_response:warning:28800"))

    def it_should_load_the_issue_without_its_timeline(self):
        expect(self.uow.issues.loaded_without_timeline).to(equal([self.issue_id]))


class When_a_breach_is_flagged_while_alice_assigns_the_issue(With_a_reported_issue_under_a_policy):
    """The assignment commits first: the flag is redone on the fresh state, naming Bob."""

    def make_unit_of_work(self) -> FakeUnitOfWork:
        def alice_assigns(issue):
            issue.assign("bob", ALICE, self.uow.staff)

        uow = RacingUnitOfWork(rival=alice_assigns, races=0, staff=("alice", "bob"))
        uow.sla_policies = FakeSlaPolicies(DEFAULT)
        return uow

    def given_the_next_commit_loses_the_race(self):
        self.uow.races = self.uow.commit_attempts + 1

    def because_it_flags_the_resolution_breach(self):
        self.bus.handle(breach(self.issue_id))

    def it_should_keep_the_assignment(self):
        expect(self.stored.assignee).to(equal("bob"))

    def it_should_record_the_breach_once_for_the_assignee(self):
        expect([type(event) for event in self.uow.recorded_events()]).to(equal([SlaBreached]))
        expect(self.uow).to(have_raised(SlaBreached, assignee="bob"))


class With_a_breach_flagged(With_a_reported_issue_under_a_policy):
    def given_the_breach_was_flagged(self):
        self.bus.handle(breach(self.issue_id))
        self.settle()


class When_a_second_worker_flags_the_same_breach(Refused, With_a_breach_flagged):
    def because_it_flags_it_again(self):
        self.error = catch(lambda: self.bus.handle(breach(self.issue_id)))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("sla_already_flagged"))
