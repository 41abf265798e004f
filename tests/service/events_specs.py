"""Publishing events: every handler of an event gets it; a failing handler is retried with
back-off, then reported as a failure, and never stops the others.
"""

from expects import be_empty, be_true, equal, expect, have_len

from issues_domain import commands
from issues_domain.events import IssueClosed, IssueResolved
from issues_service.bootstrap import bootstrap
from issues_service.messagebus import RetryPolicy
from tests.fakes import FakeUnitOfWork
from tests.service.contexts import ALICE, BOB, report_command

NO_WAIT = RetryPolicy(attempts=3, first_wait=0, max_wait=0)


class Recording:
    """An event handler that remembers what it was given and fails its first `failures` calls."""

    def __init__(self, name: str, failures: int = 0):
        self.name, self.failures = name, failures
        self.calls: list = []
        self.handled: list = []

    def __call__(self, event):
        self.calls.append(event)
        if len(self.calls) <= self.failures:
            raise RuntimeError(f"{self.name} is down")
        self.handled.append(event)


class With_a_resolved_and_closed_issue_and_its_events:
    def given_a_bus_with_event_handlers(self):
        self.uow = FakeUnitOfWork()
        self.bus = bootstrap(
            unit_of_work=lambda: self.uow,
            event_handlers=self.event_handlers(),
            event_retry_policy=NO_WAIT,
        )

    def given_an_issue_that_was_resolved_then_closed(self):
        issue_id = self.bus.handle(report_command())
        self.uow.events.clear()
        self.bus.handle(
            commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Fixed.", actor=BOB)
        )
        self.bus.handle(commands.CloseIssue(issue_id=issue_id, actor=ALICE))
        self.events = self.uow.recorded_events()
        self.resolved, self.closed = self.events

    def event_handlers(self) -> dict:
        raise NotImplementedError


class When_publishing_events_to_their_handlers(With_a_resolved_and_closed_issue_and_its_events):
    def event_handlers(self):
        self.mailer = Recording("mail the reporter")
        self.projection = Recording("queue projection")
        return {IssueResolved: [self.mailer, self.projection], IssueClosed: [self.projection]}

    def because_the_bus_publishes_them(self):
        self.failures = self.bus.publish(self.events)

    def it_should_report_no_failure(self):
        expect(self.failures).to(be_empty)

    def it_should_give_each_event_to_each_of_its_handlers_once(self):
        expect(self.projection.handled).to(equal([self.resolved, self.closed]))

    def it_should_give_no_handler_an_event_it_did_not_ask_for(self):
        expect(self.mailer.handled).to(equal([self.resolved]))


class When_an_event_handler_fails_for_a_while(With_a_resolved_and_closed_issue_and_its_events):
    def event_handlers(self):
        self.flaky = Recording("flaky mailer", failures=2)
        return {IssueResolved: [self.flaky]}

    def because_the_bus_publishes_the_events(self):
        self.failures = self.bus.publish(self.events)

    def it_should_retry_it_until_it_succeeds(self):
        expect(self.flaky.calls).to(equal([self.resolved] * 3))

    def it_should_report_no_failure(self):
        expect(self.failures).to(be_empty)

    def it_should_handle_the_event_once(self):
        expect(self.flaky.handled).to(equal([self.resolved]))


class When_an_event_handler_never_succeeds(With_a_resolved_and_closed_issue_and_its_events):
    def event_handlers(self):
        self.before = Recording("before")
        self.broken = Recording("broken mailer", failures=1000)
        self.after = Recording("after")
        return {
            IssueResolved: [self.before, self.broken, self.after],
            IssueClosed: [self.broken, self.after],
        }

    def because_the_bus_publishes_the_events(self):
        self.failures = self.bus.publish(self.events)

    def it_should_try_it_as_often_as_the_retry_policy_allows(self):
        expect(self.broken.calls).to(equal([self.resolved] * 3 + [self.closed] * 3))

    def it_should_still_give_the_events_to_the_other_handlers(self):
        expect((self.before.handled, self.after.handled)).to(
            equal(([self.resolved], [self.resolved, self.closed]))
        )

    def it_should_report_one_failure_per_event_it_failed_on(self):
        expect(self.failures).to(have_len(2))
        expect([(f.handler, f.event) for f in self.failures]).to(
            equal([("broken mailer", self.resolved), ("broken mailer", self.closed)])
        )

    def it_should_report_the_handler_s_last_error(self):
        expect(all(isinstance(f.error, RuntimeError) for f in self.failures)).to(be_true)


class When_handling_commands_with_event_handlers_registered(
    With_a_resolved_and_closed_issue_and_its_events
):
    """Commands record events; side effects run only when the events are published."""

    def event_handlers(self):
        self.mailer = Recording("mail the reporter")
        return {IssueResolved: [self.mailer]}

    def because_nothing_is_published(self):
        self.recorded = self.uow.recorded_events()

    def it_should_have_recorded_the_events(self):
        expect(self.recorded).to(have_len(2))

    def it_should_not_have_run_any_handler_yet(self):
        expect(self.mailer.calls).to(be_empty)
