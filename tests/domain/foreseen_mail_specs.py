"""Who an action would mail, asked before it is taken (the bulk confirmation counts it): the
same rules as for the recorded events (issues_domain.audience)."""

from expects import be_empty, contain_exactly, expect

from issues_domain.audience import Recipient, foreseen
from issues_domain.lifecycle import Action
from issues_domain.values import Actor

ALICE = Actor.staff("alice")


class When_foreseeing_a_resolution:
    def because_alice_would_resolve(self):
        self.recipients = foreseen(
            Action.RESOLVE,
            ALICE,
            reporter_email="fred@example.org",
            watchers=("cc@example.org",),
        )

    def it_should_mail_the_reporter_and_the_watchers(self):
        expect(self.recipients).to(
            contain_exactly(
                Recipient.reporter("fred@example.org"), Recipient.watcher("cc@example.org")
            )
        )


class When_foreseeing_a_question_to_the_reporter:
    def because_alice_would_wait(self):
        self.recipients = foreseen(Action.AWAIT_REPORTER, ALICE, reporter_email="fred@example.org")

    def it_should_mail_the_reporter(self):
        expect(self.recipients).to(contain_exactly(Recipient.reporter("fred@example.org")))


class When_foreseeing_an_assignment_to_somebody_else:
    def because_alice_would_assign_bob(self):
        self.recipients = foreseen(
            Action.ASSIGN, ALICE, reporter_email="fred@example.org", new_assignee_name="bob"
        )

    def it_should_mail_bob(self):
        expect(self.recipients).to(contain_exactly(Recipient.staff("bob")))


class When_foreseeing_an_assignment_to_oneself:
    def because_alice_would_assign_herself(self):
        self.recipients = foreseen(
            Action.ASSIGN, ALICE, reporter_email="fred@example.org", new_assignee_name="alice"
        )

    def it_should_mail_nobody(self):
        expect(self.recipients).to(be_empty)


class When_foreseeing_a_close:
    def because_alice_would_close(self):
        self.recipients = foreseen(Action.CLOSE, ALICE, reporter_email="fred@example.org")

    def it_should_mail_nobody(self):
        expect(self.recipients).to(be_empty)
