"""Events and the bus: commands record events and run no handler; the bus says who handles
which event (the adapters' relay delivers them after commit); each event names its cause."""

from expects import be_empty, equal, expect, have_len

from issues_domain import commands
from issues_domain.events import IssueClosed, IssueResolved
from issues_service.bootstrap import bootstrap
from tests.fakes import FakeUnitOfWork
from tests.service.contexts import ALICE, BOB, report_command


class Recording:
    """An event handler that remembers what it was given."""

    def __init__(self, name: str):
        self.name = name
        self.calls: list = []

    def __call__(self, event):
        self.calls.append(event)


class With_a_resolved_and_closed_issue_and_its_events:
    def given_a_bus_with_event_handlers(self):
        self.uow = FakeUnitOfWork()
        self.mailer = Recording("mail the reporter")
        self.projection = Recording("queue projection")
        self.bus = bootstrap(
            unit_of_work=lambda: self.uow,
            event_handlers={
                IssueResolved: [self.mailer, self.projection],
                IssueClosed: [self.projection],
            },
        )

    def given_an_issue_that_was_resolved_then_closed(self):
        issue_id = self.bus.handle(report_command())
        self.uow.events.clear()
        self.resolve = commands.MarkIssueAsResolved(
            issue_id=issue_id, resolution="Fixed.", actor=BOB
        )
        self.bus.handle(self.resolve)
        self.close = commands.CloseIssue(issue_id=issue_id, actor=ALICE)
        self.bus.handle(self.close)
        self.events = self.uow.recorded_events()
        self.resolved, self.closed = self.events


class When_handling_commands_with_event_handlers_registered(
    With_a_resolved_and_closed_issue_and_its_events
):
    """Commands record events; side effects run only when the relay delivers them."""

    def because_nothing_is_delivered(self):
        self.recorded = self.uow.recorded_events()

    def it_should_have_recorded_the_events(self):
        expect(self.recorded).to(have_len(2))

    def it_should_not_have_run_any_handler_yet(self):
        expect(self.mailer.calls + self.projection.calls).to(be_empty)

    def it_should_tell_the_unit_of_work_which_command_caused_the_work(self):
        expect(self.uow.causation_id).to(equal(str(self.close.command_id)))


class When_asking_the_bus_who_handles_an_event(With_a_resolved_and_closed_issue_and_its_events):
    def because_the_relay_asks(self):
        self.for_resolved = self.bus.handlers_for(self.resolved)
        self.for_closed = self.bus.handlers_for(self.closed)

    def it_should_name_every_handler_of_the_event_in_order(self):
        expect(self.for_resolved).to(equal([self.mailer, self.projection]))

    def it_should_name_no_handler_that_did_not_ask_for_it(self):
        expect(self.for_closed).to(equal([self.projection]))

    def it_should_find_a_handler_by_its_name(self):
        expect(self.bus.handler_named("queue projection")).to(equal(self.projection))
