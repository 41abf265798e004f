"""Base contexts for the service specs: a message bus on a fake unit of work.

Each context arranges its issue through the bus itself, then forgets that it committed and the
events it recorded, so a spec sees only what its own command did.
"""

import copy

from expects import be_empty, be_false, equal, expect

from issues_domain import commands
from issues_domain.issue import Issue
from issues_domain.values import Actor
from issues_service.bootstrap import bootstrap
from tests.fakes import FakeUnitOfWork

ALICE = Actor.staff("alice")
BOB = Actor.staff("bob")


def report_command(**overrides) -> commands.ReportIssue:
    fields = {
        "reporter_name": "Fred Bloggs",
        "reporter_email": "fred@example.org",
        "description": "The printer on the third floor is on fire.",
    }
    return commands.ReportIssue(**(fields | overrides))


class With_a_bus:
    def given_a_bus_on_a_fake_unit_of_work(self):
        self.uow = self.make_unit_of_work()
        self.bus = bootstrap(unit_of_work=lambda: self.uow)

    def make_unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(staff=("alice", "bob", "carol"))

    def settle(self):
        """Forget that arranging committed and recorded events."""
        self.uow.committed = False
        self.uow.events.clear()

    @property
    def stored(self) -> Issue:
        return self.uow.issues.stored[self.issue_id]


class With_a_reported_issue(With_a_bus):
    def given_a_reported_issue(self):
        self.issue_id = self.bus.handle(report_command())
        self.settle()


class With_a_triaged_issue(With_a_reported_issue):
    def given_it_was_triaged(self):
        self.bus.handle(
            commands.TriageIssue(
                issue_id=self.issue_id, category="hardware", priority="high", actor=ALICE
            )
        )
        self.settle()


class With_an_assigned_issue(With_a_triaged_issue):
    def given_it_was_assigned_to_bob(self):
        self.bus.handle(commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=ALICE))
        self.settle()


class With_a_resolved_issue(With_an_assigned_issue):
    def given_bob_resolved_it(self):
        self.bus.handle(
            commands.MarkIssueAsResolved(
                issue_id=self.issue_id, resolution="Replaced the fuser.", actor=BOB
            )
        )
        self.settle()


class With_a_closed_issue(With_a_resolved_issue):
    def given_it_was_closed(self):
        self.bus.handle(commands.CloseIssue(issue_id=self.issue_id, actor=ALICE))
        self.settle()


def _stored_state(uow: FakeUnitOfWork) -> dict:
    return {
        issue_id: {
            name: copy.deepcopy(value) for name, value in vars(issue).items() if name != "events"
        }
        for issue_id, issue in uow.issues.stored.items()
    }


class Refused:
    """Mix in before a context: the command must be refused, and nothing stored or committed.

    The spec stores the caught error in `self.error` and asserts its code itself.
    """

    def given_what_was_stored(self):
        self.stored_before = _stored_state(self.uow)

    def it_should_store_nothing(self):
        expect(_stored_state(self.uow)).to(equal(self.stored_before))

    def it_should_commit_nothing(self):
        expect(self.uow.committed).to(be_false)

    def it_should_record_no_event(self):
        expect(self.uow.recorded_events()).to(be_empty)
