"""fetch_mail keeps what the sender wrote: a line of theirs that looks like a quote header, an
Outlook header block or a signature separator cuts nothing unless the quote or signature is
really there, and a mail is never set aside for having been trimmed to nothing or being long."""

import pytest
from expects import be_true, end_with, equal, expect, start_with

from issues_adapters.eventing.models import InboundMessage
from issues_adapters.persistence.models import CommentRecord, IssueRecord, WatcherRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import COMMENT_MAX_LENGTH, DESCRIPTION_MAX_LENGTH, Actor
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


@pytest.mark.django_db
class When_the_sender_writes_a_from_line_or_a_bare_double_dash:
    def because_their_mails_are_fetched(self):
        self.texts = {
            "dialog": "The error dialog says:\n\nFrom: spooler service\nTo: all users\n"
            "The printer is offline.\n\nThat's all I see.",
            "steps": "1. Open Word\n--\n2. Print",
        }
        fetched(*(plain_mail(name, text) for name, text in self.texts.items()))

    def it_should_keep_a_from_line_that_is_no_outlook_header_block(self):
        expect(description_of("dialog")).to(equal(self.texts["dialog"]))

    def it_should_keep_a_double_dash_without_its_space(self):
        expect(description_of("steps")).to(equal(self.texts["steps"]))


OUTLOOK_WEB_REPLY = (
    "Danke, geht wieder.\n\nGrüße\nKarl\n\n________________________________\n"
    "Von: Helpdesk <helpdesk@localhost>\nGesendet: Freitag, 4. Dezember 2026 10:00\n"
    "An: Karl Kunde <karl@example.org>\nBetreff: Wir haben Ihre Meldung erhalten\n\n"
    + "Guten Tag, wir haben Ihre Meldung erhalten. "
    * 300
)

OUTLOOK_DESKTOP_HTML = """<html><head><style>p.MsoNormal{margin:0cm}</style></head><body>
<div class="WordSection1"><p class="MsoNormal">Danke, geht wieder.<o:p></o:p></p>
<p class="MsoNormal">Gr&uuml;&szlig;e<br>Karl<o:p></o:p></p>
<div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
<p class="MsoNormal"><b>From:</b> Helpdesk &lt;helpdesk@localhost&gt;<br>
<b>Sent:</b> Friday, December 4, 2026 10:00 AM<br>
<b>To:</b> Karl Kunde &lt;karl@example.org&gt;<br>
<b>Subject:</b> We have received your report<o:p></o:p></p></div></div>
<p class="MsoNormal">Good day, we have received your report.<o:p></o:p></p>
<p class="MsoNormal">-- <br>Your helpdesk</p></div></body></html>
"""


@pytest.mark.django_db
class When_outlook_quotes_the_thread_below_underscores_or_right_after_the_signature:
    def because_the_answers_are_fetched(self):
        fetched(
            plain_mail("outlook-web", OUTLOOK_WEB_REPLY),
            rfc822(
                """
From: Karl Kunde <karl@example.org>
To: helpdesk@localhost
Subject: Drucker
Message-ID: <outlook-desktop@mail.example.org>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
""",
                OUTLOOK_DESKTOP_HTML.replace("\n", "\r\n").encode("utf-8"),
            ),
        )

    def it_should_cut_at_the_underscores_above_the_header_block(self):
        expect(description_of("outlook-web")).to(equal("Danke, geht wieder.\n\nGrüße\nKarl"))

    def it_should_cut_at_the_header_block_right_below_the_signature(self):
        expect(description_of("outlook-desktop")).to(equal("Danke, geht wieder.\nGrüße\nKarl"))


@pytest.mark.django_db
class When_a_mail_is_longer_than_a_description_or_comment_may_be:
    def because_a_long_report_and_a_long_answer_to_it_are_fetched(self):
        self.text = "".join(f"Line {n} of the printer's log: paper jam.\n" for n in range(600))
        fetched(plain_mail("long-report", self.text))
        self.issue = IssueRecord.objects.get()
        fetched(
            plain_mail("long-answer", self.text, subject=f"Re: [{self.issue.reference}] Drucker")
        )
        self.answer = InboundMessage.objects.get(message_id="long-answer@mail.example.org")

    def it_should_open_the_issue_with_the_start_of_the_text_and_a_note(self):
        description = description_of("long-report")
        expect(len(description) <= DESCRIPTION_MAX_LENGTH).to(be_true)
        expect(description).to(start_with("Line 0 of the printer's log: paper jam.\nLine 1"))
        expect(description).to(end_with("\n[…] (cut: the mail was longer than 10,000 characters)"))

    def it_should_comment_with_the_start_of_the_text_and_a_note(self):
        expect((self.answer.status, self.answer.error)).to(equal(("commented", "")))
        comment = CommentRecord.objects.get(id=self.answer.comment_id)
        expect(len(comment.body) <= COMMENT_MAX_LENGTH).to(be_true)
        expect(comment.body).to(end_with("characters)"))


def reported_by(email: str, watchers: tuple[str, ...] = ()) -> IssueRecord:
    return IssueRecord.objects.get(
        id=message_bus().handle(
            commands.ReportIssue(
                reporter_name="Karl Kunde",
                reporter_email=email,
                description="Der Drucker ist kaputt.",
                watchers=watchers,
            )
        )
    )


def answer(message_id: str, sender: str, issue: IssueRecord, body: str) -> bytes:
    return rfc822(
        f"""
From: {sender}
To: helpdesk@localhost
Subject: Re: [{issue.reference}] Wir haben Ihre Meldung erhalten
Message-ID: <{message_id}@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
""",
        body.encode("utf-8") + b"\r\n",
    )


def inbound(message_id: str) -> InboundMessage:
    return InboundMessage.objects.get(message_id=f"{message_id}@mail.example.org")


@pytest.mark.django_db
class When_people_at_a_unicode_domain_answer_with_its_punycode_form:
    def given_an_issue_reported_and_watched_at_buecher_example(self):
        self.issue = reported_by("karl@bücher.example", watchers=("Anna@Bücher.example",))

    def because_their_answers_are_fetched(self):
        fetched(
            answer("karl", "Karl Kunde <karl@xn--bcher-kva.example>", self.issue, "Geht wieder."),
            answer("anna", "Anna <anna@XN--BCHER-KVA.example>", self.issue, "Bei mir auch."),
        )

    def it_should_take_the_reporters_answer_as_theirs(self):
        expect((inbound("karl").status, inbound("karl").error)).to(equal(("commented", "")))
        comment = CommentRecord.objects.get(id=inbound("karl").comment_id)
        expect((comment.body, comment.author_role)).to(equal(("Geht wieder.", "reporter")))

    def it_should_take_the_watchers_answer(self):
        expect((inbound("anna").status, inbound("anna").error)).to(equal(("commented", "")))


class With_a_closed_issue_of_karls:
    def given_a_closed_issue_of_theirs(self):
        self.closed = reported_by("karl@example.org")
        bus, alice = message_bus(), Actor.staff("alice")
        bus.handle(
            commands.MarkIssueAsResolved(issue_id=self.closed.id, resolution="Fixed.", actor=alice)
        )
        bus.handle(commands.CloseIssue(issue_id=self.closed.id, actor=alice))


@pytest.mark.django_db
class When_the_reporter_answers_a_closed_issue_twice(With_a_closed_issue_of_karls):
    def because_both_answers_are_fetched(self):
        sender = "Karl Kunde <karl@example.org>"
        fetched(answer("first", sender, self.closed, "Er raucht wieder."))
        fetched(answer("second", sender, self.closed, "Jetzt brennt er."))
        self.follow_up = IssueRecord.objects.get(id=inbound("first").issue_id)

    def it_should_open_one_follow_up(self):
        expect(IssueRecord.objects.count()).to(equal(2))

    def it_should_comment_the_second_answer_on_the_follow_up(self):
        expect((inbound("second").status, inbound("second").issue_id)).to(
            equal(("commented", self.follow_up.id))
        )
        comment = CommentRecord.objects.get(id=inbound("second").comment_id)
        expect((comment.body, comment.author_role)).to(equal(("Jetzt brennt er.", "reporter")))


class With_karls_issue_watched_by_anna_merged_into_janes:
    def given_karls_issue_watched_by_anna_merged_into_janes(self):
        self.duplicate = reported_by("karl@example.org", watchers=("anna@example.org",))
        self.target = reported_by("jane@example.org")
        message_bus().handle(
            commands.MergeIssue(
                issue_id=self.duplicate.id, into=self.target.reference, actor=Actor.staff("alice")
            )
        )


@pytest.mark.django_db
class When_a_watcher_of_a_merged_duplicate_answers_it(
    With_karls_issue_watched_by_anna_merged_into_janes
):
    def because_annas_answer_is_fetched(self):
        fetched(answer("anna", "Anna <anna@example.org>", self.duplicate, "Bei mir auch."))

    def it_should_be_her_comment_on_the_issue_it_continues_as(self):
        expect((inbound("anna").status, inbound("anna").error)).to(equal(("commented", "")))
        comment = CommentRecord.objects.get(id=inbound("anna").comment_id)
        expect((comment.issue_id, comment.body, comment.author_email)).to(
            equal((self.target.id, "Bei mir auch.", "anna@example.org"))
        )


@pytest.mark.django_db
class When_the_reporter_answers_our_resolution_mail_after_the_issue_was_closed(
    With_a_closed_issue_of_karls
):
    def because_answers_with_our_subjects_are_fetched(self):
        fetched(
            rfc822(
                f"""
From: Karl Kunde <karl@example.org>
To: helpdesk@localhost
Subject: =?utf-8?Q?AW:_[{self.closed.reference}]_Drucker_-_Ihr_Anliegen_wurde_gel=C3=B6st?=
Message-ID: <german@mail.example.org>
Content-Type: text/plain; charset="utf-8"
""",
                b"Er raucht wieder.\r\n",
            ),
        )
        self.follow_up = IssueRecord.objects.get(id=inbound("german").issue_id)

    def it_should_leave_our_suffix_out_of_the_follow_ups_subject(self):
        expect(self.follow_up.subject).to(equal("Drucker"))


@pytest.mark.django_db
class When_a_watcher_staff_took_off_the_merge_target_answers_the_duplicate(
    With_karls_issue_watched_by_anna_merged_into_janes
):
    def given_alice_took_anna_off_janes_issue(self):
        message_bus().handle(
            commands.RemoveWatcher(
                issue_id=self.target.id, email="anna@example.org", actor=Actor.staff("alice")
            )
        )

    def because_annas_answer_is_fetched(self):
        fetched(answer("anna", "Anna <anna@example.org>", self.duplicate, "Bei mir auch."))

    def it_should_set_it_aside_naming_both_issues(self):
        expect((inbound("anna").status, inbound("anna").error)).to(
            equal(
                (
                    "set_aside",
                    f"answers {self.duplicate.reference} (merged into {self.target.reference}), "
                    "but anna@example.org is not its reporter or a watcher",
                )
            )
        )

    def it_should_leave_her_off_janes_issue(self):
        watchers = WatcherRecord.objects.filter(issue=self.target).values_list("email", flat=True)
        expect(list(watchers)).to(equal(["karl@example.org"]))
        expect(CommentRecord.objects.filter(issue=self.target).exists()).to(equal(False))
