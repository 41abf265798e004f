"""Waiting on the reporter.

Staff ask the reporter something (a public comment that is part of the change) and the issue
waits (`waiting`); only a triaged or assigned issue can wait. The reporter's comment returns it
to the status it had: assigned if somebody has it, else triaged.
"""

import uuid

from expects import be_true, equal, expect, have_len

from issues_domain import audience
from issues_domain.attachments import Attachment
from issues_domain.events import IssueAwaitingReporter, IssueCommented, ReporterAnswered
from issues_domain.values import Actor, IssueStatus, Visibility
from tests.domain.contexts import (
    ALICE,
    BOB,
    STAFF,
    Refused,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_a_triaged_issue,
    With_an_assigned_issue,
)
from tests.matchers import be_refused_with, catch, have_raised

QUESTION = "Which printer model is it?"


class With_an_assigned_issue_waiting_on_the_reporter(With_an_assigned_issue):
    def given_bob_asked_the_reporter(self):
        self.issue.await_reporter(uuid.uuid4(), QUESTION, BOB)
        self.issue.events.clear()


class With_a_triaged_issue_waiting_on_the_reporter(With_a_triaged_issue):
    def given_alice_asked_the_reporter(self):
        self.issue.await_reporter(uuid.uuid4(), QUESTION, ALICE)
        self.issue.events.clear()


class When_waiting_on_the_reporter_of_an_assigned_issue(With_an_assigned_issue):
    def because_bob_asks_the_reporter(self):
        self.comment_id = uuid.uuid4()
        self.issue.await_reporter(self.comment_id, QUESTION, BOB)

    def it_should_be_waiting(self):
        expect(self.issue.status).to(equal(IssueStatus.WAITING))

    def it_should_raise_issue_awaiting_reporter_with_the_question(self):
        expect(self.issue).to(
            have_raised(
                IssueAwaitingReporter,
                version=4,
                status=IssueStatus.WAITING,
                actor=BOB,
                comment_id=self.comment_id,
                comment=QUESTION,
                reporter_email="fred@example.org",
            )
        )

    def it_should_raise_nothing_else(self):
        expect(self.issue.events).to(have_len(1))

    def it_should_keep_the_question_as_a_public_comment(self):
        comment = self.issue.comments[-1]
        expect((comment.id, comment.body, comment.visibility, comment.author)).to(
            equal((self.comment_id, QUESTION, Visibility.PUBLIC, BOB))
        )

    def it_should_keep_the_assignee(self):
        expect(self.issue.assignee).to(equal("bob"))


class When_waiting_on_the_reporter_of_a_triaged_issue(With_a_triaged_issue):
    def because_alice_asks_the_reporter(self):
        self.issue.await_reporter(uuid.uuid4(), QUESTION, ALICE)

    def it_should_be_waiting(self):
        expect(self.issue.status).to(equal(IssueStatus.WAITING))


class When_waiting_on_the_reporter_of_a_reported_issue(Refused, With_a_reported_issue):
    def because_alice_asks_before_triage(self):
        self.error = catch(lambda: self.issue.await_reporter(uuid.uuid4(), QUESTION, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("issue_cannot_await_reporter"))


class When_waiting_on_the_reporter_twice(Refused, With_an_assigned_issue_waiting_on_the_reporter):
    def because_bob_asks_again(self):
        self.error = catch(lambda: self.issue.await_reporter(uuid.uuid4(), "And?", BOB))

    def it_should_be_refused_as_waiting_already(self):
        expect(self.error).to(be_refused_with("issue_waiting_on_reporter"))


class When_waiting_on_the_reporter_of_a_resolved_issue(Refused, With_a_resolved_issue):
    def because_bob_asks(self):
        self.error = catch(lambda: self.issue.await_reporter(uuid.uuid4(), QUESTION, BOB))

    def it_should_be_refused_as_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class When_waiting_on_the_reporter_of_a_closed_issue(Refused, With_a_closed_issue):
    def because_bob_asks(self):
        self.error = catch(lambda: self.issue.await_reporter(uuid.uuid4(), QUESTION, BOB))

    def it_should_be_refused_as_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_waiting_without_a_question(Refused, With_an_assigned_issue):
    def because_bob_asks_nothing(self):
        self.error = catch(lambda: self.issue.await_reporter(uuid.uuid4(), "  ", BOB))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_name_the_comment(self):
        expect(self.error.errors).to(equal({"comment": ["This field is required."]}))


class When_the_reporter_answers_an_assigned_issue(With_an_assigned_issue_waiting_on_the_reporter):
    def because_the_reporter_comments(self):
        self.reporter = Actor.reporter(self.issue.reporter)
        self.issue.comment(uuid.uuid4(), self.reporter, "An HP LaserJet 4.", "public")

    def it_should_be_assigned_again(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_raise_the_comment_while_still_waiting(self):
        expect(self.issue).to(have_raised(IssueCommented, version=5, status=IssueStatus.WAITING))

    def it_should_raise_reporter_answered_with_the_status_returned_to(self):
        expect(self.issue).to(
            have_raised(
                ReporterAnswered,
                version=6,
                actor=self.reporter,
                status=IssueStatus.ASSIGNED,
                returned_to=IssueStatus.ASSIGNED,
            )
        )


class When_the_reporter_answers_a_triaged_issue(With_a_triaged_issue_waiting_on_the_reporter):
    def because_the_reporter_comments(self):
        reporter = Actor.reporter(self.issue.reporter)
        self.issue.comment(uuid.uuid4(), reporter, "An HP LaserJet 4.", "public")

    def it_should_be_triaged_again(self):
        expect(self.issue.status).to(equal(IssueStatus.TRIAGED))

    def it_should_raise_reporter_answered(self):
        expect(self.issue).to(have_raised(ReporterAnswered, returned_to=IssueStatus.TRIAGED))


class When_staff_comment_on_a_waiting_issue(With_an_assigned_issue_waiting_on_the_reporter):
    def because_alice_adds_a_note(self):
        self.issue.comment(uuid.uuid4(), ALICE, "Chased them by phone.", "internal")

    def it_should_still_be_waiting(self):
        expect(self.issue.status).to(equal(IssueStatus.WAITING))

    def it_should_raise_only_the_comment(self):
        expect([type(event) for event in self.issue.events]).to(equal([IssueCommented]))


class When_assigning_a_waiting_issue(With_a_triaged_issue_waiting_on_the_reporter):
    def because_alice_gives_it_to_bob(self):
        self.issue.assign("bob", ALICE, STAFF)

    def it_should_still_be_waiting(self):
        expect(self.issue.status).to(equal(IssueStatus.WAITING))

    def it_should_return_to_assigned_when_the_reporter_answers(self):
        self.issue.comment(uuid.uuid4(), Actor.reporter(self.issue.reporter), "Here.", "public")
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))


class When_resolving_a_waiting_issue(With_an_assigned_issue_waiting_on_the_reporter):
    def because_bob_gives_up_waiting(self):
        self.issue.mark_as_resolved("No answer; fixed the likely cause.", BOB)

    def it_should_be_resolved(self):
        expect(self.issue.status).to(equal(IssueStatus.RESOLVED))


class When_picking_a_waiting_issue_nobody_has(
    Refused, With_a_triaged_issue_waiting_on_the_reporter
):
    def because_bob_tries_to_pick_it(self):
        self.error = catch(lambda: self.issue.pick("bob"))

    def it_should_be_refused_as_waiting(self):
        expect(self.error).to(be_refused_with("issue_waiting_on_reporter"))

    def it_should_not_offer_pick(self):
        expect("pick" in self.issue.allowed_actions()).not_to(be_true)


FILE = Attachment(uuid.uuid4(), "steps.pdf", "application/pdf", 1234, "ab" * 32)


class When_waiting_on_the_reporter_with_a_file_and_watchers(With_an_assigned_issue):
    def given_jane_watches_it(self):
        self.issue.add_watcher("jane@example.org", ALICE)
        self.issue.events.clear()

    def because_bob_asks_with_a_file(self):
        self.comment_id = uuid.uuid4()
        self.issue.await_reporter(self.comment_id, QUESTION, BOB, (FILE,))

    def it_should_carry_the_file_and_the_watchers(self):
        expect(self.issue).to(
            have_raised(
                IssueAwaitingReporter,
                attachments=(FILE,),
                watchers=("jane@example.org",),
            )
        )

    def it_should_keep_the_file_with_the_question(self):
        expect(self.issue.comments[-1].attachments).to(equal((FILE,)))

    def it_should_copy_the_watchers_on_the_question(self):
        (event,) = self.issue.events
        expect(audience.watchers_awaited(event)).to(
            equal([audience.Recipient.watcher("jane@example.org")])
        )


class When_a_watcher_comments_on_a_waiting_issue(With_an_assigned_issue_waiting_on_the_reporter):
    def given_jane_watches_it(self):
        self.issue.add_watcher("jane@example.org", ALICE)
        self.issue.events.clear()

    def because_jane_comments(self):
        self.issue.comment(uuid.uuid4(), Actor.watcher("jane@example.org"), "Me too.", "public")

    def it_should_still_wait_for_the_reporter(self):
        expect(self.issue.status).to(equal(IssueStatus.WAITING))
        expect([type(e) for e in self.issue.events]).to(equal([IssueCommented]))
