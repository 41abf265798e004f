"""Answers by mail to an issue that was resolved while nobody had it reach whoever resolved it:
the merge mail into a resolved issue says "Not fixed for you? Reply to this mail and tell us.",
and the resolution mail invites an answer too (issues_domain.audience.staff_of_reporter_comment).
"""

from email.utils import parseaddr

import pytest
from django.core import mail
from django.test import TestCase
from expects import contain, equal, expect, have_len

from issues_adapters.persistence.models import CommentRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.events.support import make_staff
from tests.events.test_inbound_mail_own_words import answer, reported_by
from tests.events.test_inbound_mail_text import fetched
from tests.web.support import row

delivered = TestCase.captureOnCommitCallbacks
ALICE, BOB = Actor.staff("alice"), Actor.staff("bob")


def resolved_by_alice_without_taking_it(issue_id) -> None:
    bus = message_bus()
    bus.handle(
        commands.TriageIssue(issue_id=issue_id, category="printing", priority="high", actor=ALICE)
    )
    bus.handle(commands.MarkIssueAsResolved(issue_id=issue_id, resolution="New drum.", actor=ALICE))


def mails_to(username: str) -> list:
    return [m for m in mail.outbox if parseaddr(m.to[0])[1] == f"{username}@example.org"]


@pytest.mark.django_db
class When_the_followers_of_duplicates_answer_the_mail_of_their_merge_into_a_resolved_issue:
    def given_two_duplicates_merged_by_bob_into_an_issue_alice_resolved_without_taking_it(self):
        make_staff("alice", "bob")
        with delivered(execute=True):
            self.target = reported_by("fred@example.org")
            resolved_by_alice_without_taking_it(self.target.id)
            self.karls = reported_by("karl@example.org", watchers=("anna@example.org",))
            self.janes = reported_by("jane@example.org")
            for duplicate in (self.karls, self.janes):
                message_bus().handle(
                    commands.MergeIssue(
                        issue_id=duplicate.id, into=self.target.reference, actor=BOB
                    )
                )
        mail.outbox.clear()

    def because_karl_anna_and_jane_answer_it(self):
        with delivered(execute=True):
            fetched(
                answer("karl", "Karl Kunde <karl@example.org>", self.karls, "Still jams."),
                answer("anna", "Anna <anna@example.org>", self.karls, "Here too."),
                answer("jane", "Jane <jane@example.org>", self.janes, "Not fixed for me."),
            )
        self.to_alice, self.to_bob = mails_to("alice"), mails_to("bob")

    def it_should_add_their_comments_to_the_resolved_issue(self):
        comments = CommentRecord.objects.filter(issue_id=self.target.id)
        expect(sorted(comments.values_list("body", flat=True))).to(
            equal(["Here too.", "Not fixed for me.", "Still jams."])
        )
        expect(row(self.target.id).status).to(equal("resolved"))

    def it_should_tell_alice_who_resolved_it_of_each(self):
        told = "\n".join(message.body for message in self.to_alice)
        for body in ("Still jams.", "Here too.", "Not fixed for me."):
            expect(told).to(contain(body))
        for message in self.to_alice:
            expect(message.subject).to(contain(f"[{self.target.reference}]"))

    def it_should_not_tell_bob_who_only_merged(self):
        expect(self.to_bob).to(have_len(0))


@pytest.mark.django_db
class When_the_reporter_answers_the_resolution_of_their_issue_nobody_had:
    def given_freds_issue_alice_resolved_without_taking_it(self):
        make_staff("alice", "bob")
        with delivered(execute=True):
            self.issue = reported_by("fred@example.org")
            resolved_by_alice_without_taking_it(self.issue.id)
        mail.outbox.clear()

    def because_fred_answers_the_resolution_mail(self):
        with delivered(execute=True):
            fetched(answer("fred", "Fred <fred@example.org>", self.issue, "It jams again."))
        self.to_alice = mails_to("alice")

    def it_should_tell_alice(self):
        (message,) = self.to_alice
        expect(message.body).to(contain("It jams again."))
