"""The composer: a reply or a note, or a public reply that also waits for the reporter or
resolves the issue, in one change. A reply that resolves is the resolution."""

import uuid

from expects import be_empty, equal, expect, have_len

from issues_domain.attachments import Attachment
from issues_domain.events import IssueAwaitingReporter, IssueCommented, IssueResolved
from issues_domain.values import FollowUp, IssueStatus, Visibility
from tests.domain.contexts import BOB, Refused, With_a_reported_issue, With_an_assigned_issue
from tests.matchers import be_refused_with, catch, have_raised


class When_sending_a_reply(With_an_assigned_issue):
    def because_bob_sends_it(self):
        self.issue.reply(uuid.uuid4(), BOB, "Looking into it.", "public", FollowUp.NONE)

    def it_should_raise_the_comment_only(self):
        expect(self.issue).to(have_raised(IssueCommented, visibility=Visibility.PUBLIC))
        expect(self.issue.events).to(have_len(1))

    def it_should_keep_the_status(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))


class When_sending_a_reply_and_waiting(With_an_assigned_issue):
    def because_bob_sends_and_waits(self):
        self.issue.reply(uuid.uuid4(), BOB, "Which model?", "public", "await_reporter")

    def it_should_be_waiting(self):
        expect(self.issue.status).to(equal(IssueStatus.WAITING))

    def it_should_raise_issue_awaiting_reporter_with_the_reply(self):
        expect(self.issue).to(have_raised(IssueAwaitingReporter, comment="Which model?"))
        expect(self.issue.events).to(have_len(1))


class When_sending_a_reply_and_resolving(With_an_assigned_issue):
    def because_bob_sends_and_resolves(self):
        self.issue.reply(uuid.uuid4(), BOB, "Replaced the fuser.", "public", FollowUp.RESOLVE)

    def it_should_be_resolved_with_the_reply_as_resolution(self):
        expect((self.issue.status, self.issue.resolution)).to(
            equal((IssueStatus.RESOLVED, "Replaced the fuser."))
        )

    def it_should_raise_issue_resolved_only(self):
        expect(self.issue).to(have_raised(IssueResolved, resolution="Replaced the fuser."))
        expect(self.issue.events).to(have_len(1))


class When_sending_an_internal_note_and_resolving(Refused, With_an_assigned_issue):
    def because_bob_tries_it(self):
        self.error = catch(
            lambda: self.issue.reply(uuid.uuid4(), BOB, "Fixed.", "internal", FollowUp.RESOLVE)
        )

    def it_should_be_refused_on_visibility(self):
        expect(self.error).to(be_refused_with("follow_up_needs_public_reply"))
        expect(list(self.error.errors)).to(equal(["visibility"]))


class When_sending_a_reply_and_waiting_before_triage(Refused, With_a_reported_issue):
    def because_bob_tries_it(self):
        self.error = catch(
            lambda: self.issue.reply(uuid.uuid4(), BOB, "Which?", "public", "await_reporter")
        )

    def it_should_be_refused_and_send_nothing(self):
        expect(self.error).to(be_refused_with("issue_cannot_await_reporter"))
        expect(self.issue.comments).to(be_empty)


class When_sending_with_an_unknown_follow_up(Refused, With_an_assigned_issue):
    def because_bob_sends_something_odd(self):
        self.error = catch(lambda: self.issue.reply(uuid.uuid4(), BOB, "Hi", "public", "explode"))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))


FILE = Attachment(uuid.uuid4(), "photo.png", "image/png", 2048, "cd" * 32)


class When_sending_a_reply_with_a_file(With_an_assigned_issue):
    def because_bob_sends_it_with_a_file(self):
        self.issue.reply(uuid.uuid4(), BOB, "See the photo.", "internal", FollowUp.NONE, (FILE,))

    def it_should_carry_the_file_with_the_comment(self):
        expect(self.issue).to(have_raised(IssueCommented, attachments=(FILE,)))


class When_sending_a_reply_with_a_file_and_waiting(With_an_assigned_issue):
    def because_bob_sends_and_waits(self):
        self.issue.reply(uuid.uuid4(), BOB, "Which one?", "public", "await_reporter", (FILE,))

    def it_should_carry_the_file_with_the_question(self):
        expect(self.issue).to(have_raised(IssueAwaitingReporter, attachments=(FILE,)))
        expect(self.issue.status).to(equal(IssueStatus.WAITING))


class When_sending_a_reply_with_a_file_and_resolving(With_an_assigned_issue):
    def because_bob_sends_and_resolves(self):
        self.message_id = uuid.uuid4()
        self.issue.reply(self.message_id, BOB, "Fixed.", "public", FollowUp.RESOLVE, (FILE,))

    def it_should_carry_the_file_with_the_resolution(self):
        expect(self.issue).to(
            have_raised(IssueResolved, attachments=(FILE,), message_id=self.message_id)
        )

    def it_should_be_resolved_by_one_event(self):
        expect(self.issue.status).to(equal(IssueStatus.RESOLVED))
        expect(self.issue.events).to(have_len(1))
