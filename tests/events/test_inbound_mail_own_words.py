"""fetch_mail keeps what the sender wrote: a line of theirs that looks like a quote header, an
Outlook header block or a signature separator cuts nothing unless the quote or signature is
really there, and a mail is never set aside for having been trimmed to nothing or being long."""

import pytest
from expects import equal, expect

from issues_adapters.eventing.models import InboundMessage
from issues_adapters.persistence.models import IssueRecord
from tests.events.test_inbound_mail_text import fetched, rfc822


def plain_mail(message_id: str, body: str, subject: str = "Drucker") -> bytes:
    return rfc822(
        f"""
From: Karl Kunde <karl@example.org>
To: helpdesk@localhost
Subject: {subject}
Message-ID: <{message_id}@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
""",
        body.replace("\n", "\r\n").encode("utf-8"),
    )


def description_of(message_id: str) -> str:
    inbound = InboundMessage.objects.get(message_id=f"{message_id}@mail.example.org")
    assert (inbound.status, inbound.error) == ("reported", ""), (inbound.status, inbound.error)
    return IssueRecord.objects.get(id=inbound.issue_id).description


@pytest.mark.django_db
class When_the_sender_writes_lines_that_look_like_quote_headers:
    def because_their_mails_are_fetched(self):
        self.texts = {
            "schrieb ich": "Hallo Helpdesk,\nder Drucker druckt nur Streifen.\n"
            "Am Montag schrieb ich Ihnen schon einmal:\nDas Problem besteht weiterhin.",
            "i wrote": "On Monday I wrote:\nthe printer is broken, it still is.",
            "two lines": "Am Montag\nschrieb mir der Kollege aus der IT folgendes:\n"
            "Bitte neu starten. Hat nicht geholfen.",
        }
        fetched(*(plain_mail(name.replace(" ", "-"), text) for name, text in self.texts.items()))

    def it_should_keep_a_header_like_line_in_the_middle_and_what_follows(self):
        expect(description_of("schrieb-ich")).to(equal(self.texts["schrieb ich"]))

    def it_should_keep_the_mail_that_starts_with_one(self):
        expect(description_of("i-wrote")).to(equal(self.texts["i wrote"]))

    def it_should_keep_one_spread_over_two_lines(self):
        expect(description_of("two-lines")).to(equal(self.texts["two lines"]))


@pytest.mark.django_db
class When_an_answer_has_the_quote_below_its_header:
    def because_gmail_and_thunderbird_answers_are_fetched(self):
        fetched(
            plain_mail(
                "gmail",
                "Geht wieder.\n\nAm Fr., 4. Dez. 2026 um 10:00 Uhr schrieb Helpdesk <\n"
                "helpdesk@localhost>:\n\n> Wir haben Ihre Meldung erhalten.\n",
            ),
            plain_mail(
                "thunderbird",
                "Works again.\n\nOn 04.12.26 10:00, Helpdesk wrote:\n> We have received it.\n",
            ),
        )

    def it_should_leave_the_quote_out(self):
        expect((description_of("gmail"), description_of("thunderbird"))).to(
            equal(("Geht wieder.", "Works again."))
        )


@pytest.mark.django_db
class When_trimming_would_leave_nothing:
    def because_a_mail_of_only_a_signature_is_fetched(self):
        fetched(plain_mail("only-signature", "-- \nDrucker 3 im 2. OG ist kaputt"))

    def it_should_keep_the_whole_text_rather_than_set_the_mail_aside(self):
        expect(description_of("only-signature")).to(equal("-- \nDrucker 3 im 2. OG ist kaputt"))
