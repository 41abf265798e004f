"""An answer to one of our mails that opens an issue (a follow-up to a closed one) leaves out
what our subject added after the issue's subject: the staff mails' suffixes as well as the
reporter's and watchers', in every language we speak, with the names and counts they carry."""

import base64

import pytest
from expects import equal, expect

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.events.test_inbound_mail_own_words import inbound, reported_by
from tests.events.test_inbound_mail_text import fetched, rfc822

ANSWERED_SUBJECTS = {
    "assigned-de": "AW: [{reference}] Drucker - Ihnen zugewiesen von Bob Boss",
    "commented-once": "Re: [{reference}] Printer - The reporter commented",
    "commented-thrice": "Re: [{reference}] Printer - The reporter commented 3 times",
    "commented-de": "AW: [{reference}] Drucker - Die meldende Person hat 2-mal kommentiert",
    "resolved-de": "AW: [{reference}] Drucker - Ihr Anliegen wurde gelöst",
    "no-subject": "Re: [{reference}] Assigned to you by Bob Boss",
    "twice": "Re: [{reference}] Printer - Assigned to you by Bob - The reporter commented",
}


def closed_issue_of(email: str) -> IssueRecord:
    issue = reported_by(email)
    bus, bob = message_bus(), Actor.staff("bob")
    bus.handle(commands.MarkIssueAsResolved(issue_id=issue.id, resolution="Fixed.", actor=bob))
    bus.handle(commands.CloseIssue(issue_id=issue.id, actor=bob))
    return issue


def answer(name: str, subject: str) -> bytes:
    return rfc822(
        f"""
From: Alice Admin <alice@example.org>
To: helpdesk@localhost
Subject: =?utf-8?b?{base64.b64encode(subject.encode()).decode()}?=
Message-ID: <{name}@mail.example.org>
Content-Type: text/plain; charset="utf-8"
""",
        b"Still broken.\r\n",
    )


@pytest.mark.django_db
class When_a_staff_member_answers_our_staff_mails_about_issues_since_closed:
    def given_closed_issues_that_alice_reported(self):
        self.closed = {name: closed_issue_of("alice@example.org") for name in ANSWERED_SUBJECTS}

    def because_her_answers_are_fetched(self):
        fetched(
            *(
                answer(name, subject.format(reference=self.closed[name].reference))
                for name, subject in ANSWERED_SUBJECTS.items()
            )
        )

    def it_should_leave_our_suffixes_out_of_the_follow_ups_subjects(self):
        subjects = {
            name: IssueRecord.objects.get(id=inbound(name).issue_id).subject
            for name in ANSWERED_SUBJECTS
        }
        expect(subjects).to(
            equal(
                {
                    "assigned-de": "Drucker",
                    "commented-once": "Printer",
                    "commented-thrice": "Printer",
                    "commented-de": "Drucker",
                    "resolved-de": "Drucker",
                    # No subject of ours left: the description's first line stands in.
                    "no-subject": f"Follow-up to {self.closed['no-subject'].reference}",
                    "twice": "Printer",
                }
            )
        )
