"""The burst mail names each comment's author as what they are: the reporter or a watcher, in
its subject and its body, for a burst of one author's comments and of several authors'."""

import pytest
from django.core import mail
from django.test import TestCase
from expects import contain, equal, expect

from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor, IssueReporter
from tests.events.support import ALICE, make_staff

delivered = TestCase.captureOnCommitCallbacks
FRED = Actor.reporter(IssueReporter("Fred Bloggs", "fred@example.org"))
JANE = Actor.watcher("jane@example.org")


class With_freds_issue_jane_watches_assigned_to_bob:
    def given_the_issue(self):
        make_staff("alice", "bob")
        with delivered(execute=True):
            self.issue_id = message_bus().handle(
                commands.ReportIssue(
                    reporter_name="Fred Bloggs",
                    reporter_email="fred@example.org",
                    description="The printer is on fire.",
                    watchers=("jane@example.org",),
                )
            )
            message_bus().handle(
                commands.AssignIssue(issue_id=self.issue_id, assignee="bob", actor=ALICE)
            )
        mail.outbox.clear()

    def comment(self, author: Actor, body: str) -> None:
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=self.issue_id, author=author, body=body, visibility="public"
            )
        )

    @property
    def to_bob(self):
        (message,) = [m for m in mail.outbox if m.to == ["bob@example.org"]]
        return message


@pytest.mark.django_db
class When_a_watcher_comments(With_freds_issue_jane_watches_assigned_to_bob):
    def because_jane_comments_twice(self):
        with delivered(execute=True):
            self.comment(JANE, "Mine too.")
            self.comment(JANE, "Still.")
        self.message = self.to_bob

    def it_should_say_a_watcher_commented_in_the_subject(self):
        expect(self.message.subject).to(contain("A watcher commented 2 times"))

    def it_should_name_jane_a_watcher_in_the_body(self):
        html, _ = self.message.alternatives[0]
        for text in (self.message.body, html):
            expect(text).to(contain("jane@example.org (a watcher) commented on"))
            expect(text).not_to(contain("the reporter"))


@pytest.mark.django_db
class When_the_reporter_and_a_watcher_comment_in_one_burst(
    With_freds_issue_jane_watches_assigned_to_bob
):
    def because_fred_and_jane_comment(self):
        with delivered(execute=True):
            self.comment(FRED, "It is smoking.")
            self.comment(JANE, "Mine too.")
        self.message = self.to_bob

    def it_should_say_both_commented_in_the_subject(self):
        expect(self.message.subject).to(contain("The reporter and watchers commented 2 times"))

    def it_should_name_each_comments_author_as_what_they_are(self):
        html, _ = self.message.alternatives[0]
        for text in (self.message.body, html):
            expect(text).to(contain("2 comments on"))
            expect(text).to(contain("Fred Bloggs (the reporter) at"))
            expect(text).to(contain("jane@example.org (a watcher) at"))
            expect(text).not_to(contain("(the reporter) commented"))

    def it_should_list_both_comments_in_order(self):
        body = self.message.body
        expect(body.index("It is smoking.") < body.index("Mine too.")).to(equal(True))


@pytest.mark.django_db
class When_the_reporter_comments(With_freds_issue_jane_watches_assigned_to_bob):
    def because_fred_comments(self):
        with delivered(execute=True):
            self.comment(FRED, "It is smoking.")
        self.message = self.to_bob

    def it_should_say_the_reporter_commented(self):
        expect(self.message.subject).to(contain("The reporter commented"))
        expect(self.message.body).to(contain("Fred Bloggs (the reporter) commented on"))


@pytest.mark.django_db
class When_two_watchers_comment_in_one_burst(With_freds_issue_jane_watches_assigned_to_bob):
    def given_anna_watches_too(self):
        with delivered(execute=True):
            message_bus().handle(
                commands.AddWatcher(issue_id=self.issue_id, email="anna@example.org", actor=ALICE)
            )
        mail.outbox.clear()

    def because_jane_and_anna_comment(self):
        with delivered(execute=True):
            self.comment(JANE, "Mine too.")
            self.comment(Actor.watcher("anna@example.org"), "And mine.")
        self.message = self.to_bob

    def it_should_say_watchers_commented(self):
        expect(self.message.subject).to(contain("Watchers commented 2 times"))
        expect(self.message.body).to(contain("anna@example.org (a watcher) at"))
