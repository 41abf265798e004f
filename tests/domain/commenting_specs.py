"""Commenting: staff and the reporter talk about an issue until it is closed.

Staff may write public comments or internal notes; the reporter's comments are always public.
"""

import uuid

from expects import be_empty, equal, expect, have_len

from issues_domain.events import IssueCommented
from issues_domain.values import Actor, Comment, Visibility
from tests.domain.contexts import (
    ALICE,
    BOB,
    Refused,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_an_assigned_issue,
)
from tests.matchers import be_refused_with, catch, have_raised


class When_staff_comment_publicly(With_an_assigned_issue):
    def given_a_comment_id(self):
        self.comment_id = uuid.uuid4()

    def because_bob_comments(self):
        self.issue.comment(self.comment_id, BOB, "  Have you tried turning it off?  ", "public")

    def it_should_keep_the_status(self):
        expect(self.issue.status).to(equal("assigned"))

    def it_should_move_to_version_4(self):
        expect(self.issue.version).to(equal(4))

    def it_should_add_the_comment_with_surrounding_space_stripped(self):
        expect(self.issue.comments).to(have_len(1))
        comment = self.issue.comments[0]
        expect((comment.id, comment.author, comment.body, comment.visibility)).to(
            equal((self.comment_id, BOB, "Have you tried turning it off?", Visibility.PUBLIC))
        )

    def it_should_time_the_comment_when_issue_commented_occurred(self):
        expect(self.issue.comments[0].created_at).to(equal(self.issue.events[0].occurred_at))

    def it_should_show_it_to_the_reporter(self):
        expect([comment.id for comment in self.issue.public_comments]).to(equal([self.comment_id]))

    def it_should_raise_issue_commented_with_who_to_tell(self):
        expect(self.issue).to(
            have_raised(
                IssueCommented,
                version=4,
                actor=BOB,
                comment_id=self.comment_id,
                body="Have you tried turning it off?",
                visibility=Visibility.PUBLIC,
                reporter_email="fred@example.org",
                assignee="bob",
            )
        )


class When_staff_write_an_internal_note(With_an_assigned_issue):
    def because_alice_writes_a_note(self):
        self.issue.comment(uuid.uuid4(), ALICE, "Fred has asked this three times.", "internal")

    def it_should_add_an_internal_comment(self):
        expect([comment.visibility for comment in self.issue.comments]).to(
            equal([Visibility.INTERNAL])
        )

    def it_should_not_show_it_to_the_reporter(self):
        expect(self.issue.public_comments).to(be_empty)

    def it_should_raise_issue_commented_as_internal(self):
        expect(self.issue).to(
            have_raised(IssueCommented, version=4, visibility=Visibility.INTERNAL)
        )


class When_the_reporter_comments(With_a_reported_issue):
    def given_the_reporter_as_an_actor(self):
        self.fred = Actor.reporter(self.issue.reporter)

    def because_fred_adds_a_detail(self):
        self.issue.comment(uuid.uuid4(), self.fred, "It is the HP one.", "public")

    def it_should_add_a_public_comment_by_the_reporter(self):
        comment: Comment = self.issue.comments[0]
        expect((comment.author, comment.is_public)).to(equal((self.fred, True)))

    def it_should_raise_issue_commented_with_the_reporter_as_the_actor(self):
        expect(self.issue).to(
            have_raised(IssueCommented, version=2, actor=self.fred, assignee=None)
        )


class When_commenting_on_a_resolved_issue(With_a_resolved_issue):
    def because_the_reporter_says_thanks(self):
        self.issue.comment(uuid.uuid4(), Actor.reporter(self.issue.reporter), "Thanks!", "public")

    def it_should_keep_it_resolved(self):
        expect(self.issue.status).to(equal("resolved"))

    def it_should_add_the_comment(self):
        expect(self.issue.comments).to(have_len(1))

    def it_should_raise_issue_commented(self):
        expect(self.issue).to(have_raised(IssueCommented, version=5, body="Thanks!"))


class When_the_reporter_tries_to_write_an_internal_note(Refused, With_a_reported_issue):
    def because_fred_asks_for_an_internal_comment(self):
        fred = Actor.reporter(self.issue.reporter)
        self.error = catch(lambda: self.issue.comment(uuid.uuid4(), fred, "Psst", "internal"))

    def it_should_be_refused_because_reporter_comments_are_public(self):
        expect(self.error).to(be_refused_with("reporter_notes_are_public"))


class When_commenting_on_a_closed_issue(Refused, With_a_closed_issue):
    def because_bob_tries_to_comment(self):
        self.error = catch(
            lambda: self.issue.comment(uuid.uuid4(), BOB, "One more thing", "public")
        )

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_commenting_with_an_empty_body(Refused, With_an_assigned_issue):
    def because_bob_sends_nothing(self):
        self.error = catch(lambda: self.issue.comment(uuid.uuid4(), BOB, " \n ", "public"))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
        expect(self.error.errors).to(equal({"body": ["This field is required."]}))


class When_commenting_with_an_unknown_visibility(Refused, With_an_assigned_issue):
    def because_bob_asks_for_a_secret_comment(self):
        self.error = catch(lambda: self.issue.comment(uuid.uuid4(), BOB, "Hi", "secret"))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
        expect(self.error.errors).to(equal({"visibility": ["Choose public or internal."]}))


class When_commenting_with_a_body_of_10_001_characters(Refused, With_an_assigned_issue):
    def because_bob_pastes_a_whole_log(self):
        self.error = catch(lambda: self.issue.comment(uuid.uuid4(), BOB, "x" * 10_001, "public"))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
