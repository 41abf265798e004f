"""The mail a merged duplicate's reporter and watchers get: their issue was merged into
another because it is the same problem, where to follow it (their own page), and, when that
issue is resolved already, its resolution; in the duplicate reporter's language, once, and
instead of the note that they are copied on the other issue."""

from email.utils import parseaddr

import pytest
from django.core import mail
from django.test import TestCase
from expects import contain, end_with, equal, expect, have_len

from issues_adapters.eventing import deliveries
from issues_adapters.eventing.models import Delivery
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.events.support import ALICE, all_positions, make_staff
from tests.web.support import issue_in, report, row, token

# Mail goes out after commit; each test's transaction is rolled back, so commit callbacks run here.
delivered = TestCase.captureOnCommitCallbacks


class When_a_german_duplicate_is_merged_into_a_resolved_issue:
    pytestmark = pytest.mark.django_db

    def given_karls_german_duplicate_watched_by_jane_and_a_resolved_issue(self):
        make_staff("alice")
        with delivered(execute=True):
            self.target = issue_in("resolved")
            self.duplicate = report(
                reporter_name="Karl Kunde", reporter_email="karl@example.org", language="de"
            )
            message_bus().handle(
                commands.AddWatcher(issue_id=self.duplicate, email="jane@example.org", actor=ALICE)
            )
        mail.outbox.clear()

    def because_alice_merges_it(self):
        with delivered(execute=True):
            message_bus().handle(
                commands.MergeIssue(
                    issue_id=self.duplicate, into=row(self.target).reference, actor=ALICE
                )
            )
        self.sent = list(mail.outbox)  # pytest-django empties the outbox before each assertion
        self.to = {parseaddr(message.to[0])[1]: message for message in self.sent}

    def it_should_mail_the_reporter_and_the_watcher_once_each(self):
        expect(self.sent).to(have_len(2))
        expect(sorted(self.to)).to(equal(["jane@example.org", "karl@example.org"]))

    def it_should_say_in_german_that_the_report_was_merged_into_the_issue(self):
        subject, body = self.to["karl@example.org"].subject, self.to["karl@example.org"].body
        duplicate, target = row(self.duplicate).reference, row(self.target).reference
        expect(subject).to(contain(f"[{duplicate}]"))
        expect(subject).to(contain(f"Zusammengeführt in {target}"))
        expect(body).to(contain(f"Ihre Meldung {duplicate} betrifft dasselbe Problem wie {target}"))

    def it_should_say_the_issue_is_resolved_and_quote_its_resolution(self):
        body = self.to["karl@example.org"].body
        expect(body).to(contain(f"{row(self.target).reference} ist bereits gelöst:"))
        expect(body).to(contain("New drum."))

    def it_should_send_the_merge_mail_instead_of_the_note_that_they_are_copied(self):
        for message in self.sent:
            expect(message.subject).to(contain(f"Zusammengeführt in {row(self.target).reference}"))

    def it_should_link_the_reporter_to_their_own_tracking_page_only(self):
        body = self.to["karl@example.org"].body
        expect(body).to(contain(f"/track/{token(self.duplicate)}/"))
        expect(body).not_to(contain(token(self.target)))

    def it_should_link_the_watcher_to_her_own_page(self):
        body = self.to["jane@example.org"].body
        expect(body).to(contain("/watch/"))
        expect(body).not_to(contain(token(self.duplicate)))
        expect(body).not_to(contain(token(self.target)))

    def it_should_not_mail_again_when_the_merge_is_delivered_again(self):
        mail.outbox.clear()
        Delivery.objects.all().delete()
        deliveries.deliver_positions(all_positions(), bus=message_bus())
        expect(mail.outbox).to(equal([]))


class When_an_issue_a_german_duplicate_was_merged_into_is_merged_in_turn:
    """Karl (German) follows Fred's English issue since his duplicate was merged into it; Anna,
    whom Fred copied, never reported anything. Fred's issue is then merged into a resolved one."""

    pytestmark = pytest.mark.django_db

    def given_karls_duplicate_merged_into_freds_issue_and_a_resolved_issue(self):
        make_staff("alice")
        with delivered(execute=True):
            self.target = issue_in("resolved")
            self.freds = report(watchers=("anna@example.org",))
            karls = report(
                reporter_name="Karl Kunde", reporter_email="karl@example.org", language="de"
            )
            message_bus().handle(
                commands.MergeIssue(issue_id=karls, into=row(self.freds).reference, actor=ALICE)
            )
        mail.outbox.clear()

    def because_alice_answers_fred_then_merges_his_issue(self):
        with delivered(execute=True):
            message_bus().handle(
                commands.CommentOnIssue(issue_id=self.freds, author=ALICE, body="On my way.")
            )
            message_bus().handle(
                commands.MergeIssue(
                    issue_id=self.freds, into=row(self.target).reference, actor=ALICE
                )
            )
        self.to = {}
        for message in mail.outbox:
            self.to.setdefault(parseaddr(message.to[0])[1], []).append(message.subject)

    def it_should_mail_karl_in_german(self):
        target = row(self.target).reference
        expect(self.to["karl@example.org"]).to(have_len(2))
        reply, merge = self.to["karl@example.org"]
        expect(reply).to(end_with("- Neue Antwort vom Helpdesk"))
        expect(merge).to(end_with(f"- Zusammengeführt in {target}"))

    def it_should_mail_anna_and_fred_in_freds_language(self):
        target = row(self.target).reference
        for address in ("anna@example.org", "fred@example.org"):
            expect(self.to[address][-1]).to(end_with(f"- Merged into {target}"))
