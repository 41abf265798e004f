"""fetch_mail reads a mail's text as its sender meant it: Outlook's windows-1252 labelled
iso-8859-1, HTML-only mail laid out as lines, no stray control characters; it leaves out the
quoted mail and the signature below an answer; and mail to a closed issue opens its follow-up."""

import mailbox
import tempfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from expects import contain, equal, expect, start_with

from issues_adapters.eventing.mail_text import html_text, own_words
from issues_adapters.eventing.models import InboundMessage
from issues_adapters.persistence.models import CommentRecord, IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.events.test_inbound_mail import reported_by_fred

delivered = TestCase.captureOnCommitCallbacks


def fetched(*messages: bytes) -> None:
    """Runs fetch_mail over a Maildir holding these RFC 822 messages."""
    box = mailbox.Maildir(Path(tempfile.mkdtemp()) / "inbox", create=True)
    for message in messages:
        box.add(message)
    call_command("fetch_mail", box._path)


def rfc822(headers: str, body: bytes) -> bytes:
    return headers.strip().replace("\n", "\r\n").encode("ascii") + b"\r\n\r\n" + body


OUTLOOK_SMART_QUOTES = rfc822(
    """
From: =?iso-8859-1?Q?J=F6rg_M=FCller?= <joerg@example.org>
To: helpdesk@localhost
Subject: =?iso-8859-1?Q?=93Drucker=94_=96_Papierstau?=
Message-ID: <smart-quotes@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: 8bit
""",
    b"The \x93big\x94 printer \x96 the one on floor 2 \x96 says \x84Papierstau\x93.\r\n"
    b"Gr\xfc\xdfe, J\xf6rg\r\n",
)


@pytest.mark.django_db
class When_outlook_mails_smart_quotes_labelled_iso_8859_1:
    def because_the_mail_is_fetched(self):
        fetched(OUTLOOK_SMART_QUOTES)
        self.inbound = InboundMessage.objects.get()
        self.issue = IssueRecord.objects.filter(id=self.inbound.issue_id).first()

    def it_should_open_an_issue(self):
        expect((self.inbound.status, self.inbound.error)).to(equal(("reported", "")))

    def it_should_read_the_body_as_windows_1252(self):
        expect(self.issue.description).to(
            equal(
                "The \u201cbig\u201d printer \u2013 the one on floor 2 \u2013 says "
                "\u201ePapierstau\u201c.\nGr\u00fc\u00dfe, J\u00f6rg"
            )
        )

    def it_should_read_the_subject_as_windows_1252(self):
        expect(self.issue.subject).to(equal("\u201cDrucker\u201d \u2013 Papierstau"))

    def it_should_keep_the_senders_name(self):
        expect(self.issue.reporter_name).to(equal("J\u00f6rg M\u00fcller"))


STRAY_CONTROLS = rfc822(
    """
From: =?utf-8?Q?Jane=0C_Doe?= <jane@example.org>
To: helpdesk@localhost
Subject: =?utf-8?Q?Scanner=07_broken?=
Message-ID: <controls@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
""",
    b"Page one\x0cpage two\x1b[0m\x00.\r\n"
    b"A line\rwith a carriage return.\r\n\tIndented by a tab.\r\n",
)


@pytest.mark.django_db
class When_a_mail_holds_a_form_feed_and_other_stray_control_characters:
    def because_the_mail_is_fetched(self):
        fetched(STRAY_CONTROLS)
        self.inbound = InboundMessage.objects.get()
        self.issue = IssueRecord.objects.filter(id=self.inbound.issue_id).first()

    def it_should_open_an_issue(self):
        expect((self.inbound.status, self.inbound.error)).to(equal(("reported", "")))

    def it_should_drop_them_keeping_newlines_and_tabs(self):
        expect(self.issue.description).to(
            equal("Page onepage two[0m.\nA line\nwith a carriage return.\n\tIndented by a tab.")
        )

    def it_should_drop_them_from_the_subject_and_the_name(self):
        expect((self.issue.subject, self.issue.reporter_name)).to(
            equal(("Scanner broken", "Jane Doe"))
        )


@pytest.mark.django_db
class When_the_reporter_answers_in_unlabelled_8_bit_text:
    """No charset means us-ascii, which mail clients (and WHATWG) read as windows-1252."""

    def given_an_issue_of_theirs(self):
        self.issue = reported_by_fred()

    def because_the_answer_is_fetched(self):
        fetched(
            rfc822(
                f"""
From: Fred Bloggs <fred@example.org>
To: helpdesk@localhost
Subject: Re: [{self.issue.reference}] We have received your report
Message-ID: <unlabelled@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain
Content-Transfer-Encoding: 8bit
""",
                b"It\x92s still smoking \x85\r\n",
            )
        )

    def it_should_be_their_comment(self):
        comment = CommentRecord.objects.get(issue=self.issue)
        expect(comment.body).to(equal("It\u2019s still smoking \u2026"))


OUTLOOK_HTML = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<style><!--
/* Font Definitions */
@font-face {font-family:"Cambria Math";}
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;
	font-size:11.0pt;
	font-family:"Calibri",sans-serif;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]-->
</head>
<body lang="DE" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">
<div class="WordSection1">
<p class="MsoNormal">Hallo zusammen,<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">der Drucker im 2.&nbsp;OG zeigt &#8222;Papierstau&#8220; &amp; druckt
nichts.<o:p></o:p></p>
<ul style="margin-top:0cm" type="disc">
<li class="MsoListParagraph">Fach&nbsp;1 ist leer<o:p></o:p></li>
<li class="MsoListParagraph">Fach&nbsp;2 klemmt<o:p></o:p></li>
</ul>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Gr&#252;&#223;e<br>
J&ouml;rg<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<div>
<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
<p class="MsoNormal"><b>Von:</b> Helpdesk &lt;helpdesk@localhost&gt;
<br>
<b>Gesendet:</b> Freitag, 4. Dezember 2026 10:00<br>
<b>An:</b> J&ouml;rg M&uuml;ller &lt;joerg@example.org&gt;<br>
<b>Betreff:</b> Wir haben Ihre Meldung erhalten<o:p></o:p></p>
</div>
</div>
<p class="MsoNormal">Guten Tag,<o:p></o:p></p>
</div>
</body>
</html>
"""

GMAIL_HTML = """<div dir="ltr">Hi,<div><br></div><div>the scanner on floor 3 sends
  empty PDFs since <b>Monday</b>. Steps:</div><ol><li>Scan to mail</li><li>Open the PDF</li></ol>
<div>See <a href="https://intranet.example.org/scanners/3">the scanner page</a>.</div>
<div><br></div><div><br></div><div><br></div><div>Thanks,</div><div>Jane</div>
<div>-- <br><div dir="ltr" class="gmail_signature">Jane Doe | Accounting | +49 30 1234</div></div>
</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Am Fr., 4. Dez. 2026 um
10:00&nbsp;Uhr schrieb Helpdesk &lt;<a href="mailto:helpdesk@localhost">helpdesk@localhost</a>&gt;:
<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">
<div>We have received your report.</div></blockquote></div>
"""


def html_mail(message_id: str, html: str, charset: str) -> bytes:
    return rfc822(
        f"""
From: Jane Doe <jane@example.org>
To: helpdesk@localhost
Subject: Scanner
Message-ID: <{message_id}@mail.example.org>
MIME-Version: 1.0
Content-Type: text/html; charset="{charset}"
Content-Transfer-Encoding: 8bit
""",
        html.replace("\n", "\r\n").encode(charset),
    )


@pytest.mark.django_db
class When_html_only_mail_arrives_from_outlook_and_gmail:
    def because_both_are_fetched(self):
        fetched(
            html_mail("outlook", OUTLOOK_HTML, "iso-8859-1"),
            html_mail("gmail", GMAIL_HTML, "utf-8"),
        )
        self.outlook, self.gmail = (
            IssueRecord.objects.get(
                id=InboundMessage.objects.get(message_id=f"{name}@mail.example.org").issue_id
            )
            for name in ("outlook", "gmail")
        )

    def it_should_lay_out_outlooks_paragraphs_and_list_without_its_style_or_answered_mail(self):
        expect(self.outlook.description).to(
            equal(
                "Hallo zusammen,\n"
                "\n"
                "der Drucker im 2. OG zeigt \u201ePapierstau\u201c & druckt nichts.\n"
                "- Fach 1 ist leer\n"
                "- Fach 2 klemmt\n"
                "\n"
                "Gr\u00fc\u00dfe\n"
                "J\u00f6rg"
            )
        )

    def it_should_lay_out_gmails_lines_without_its_signature_or_quote(self):
        expect(self.gmail.description).to(
            equal(
                "Hi,\n"
                "\n"
                "the scanner on floor 3 sends empty PDFs since Monday. Steps:\n"
                "1. Scan to mail\n"
                "2. Open the PDF\n"
                "See the scanner page (https://intranet.example.org/scanners/3).\n"
                "\n"
                "Thanks,\n"
                "Jane"
            )
        )


class When_html_is_read_as_text:
    def because_each_body_is_read(self):
        self.read = {
            name: html_text(html)
            for name, html in {
                "styled": "<style>p.MsoNormal{margin:0cm; font-size:11pt}</style>"
                "<p>First paragraph.</p><p>Second paragraph.</p><br>Line after br",
                "entities": "<p>Tom&nbsp;&amp;&nbsp;Jerry&#39;s TV has no &lt;HDMI&gt; port</p>",
                "script": "<div>Hello world<script>alert(1)</script></div>",
                "head": "<html><head><title>Mail</title></head><body>Body</body></html>",
                "blank lines": "<p>One</p><br><br><br><br><p>Two</p>",
                "table": "<table><tr><td>Model</td><td>HP 4000</td></tr><tr><td>Room</td>"
                "<td>2.14</td></tr></table>",
                "quote": "<p>Yes.</p><blockquote><p>Is it on?</p></blockquote><p>Bye</p>",
            }.items()
        }

    def it_should_drop_style_and_make_paragraphs_and_breaks_lines(self):
        expect(self.read["styled"]).to(
            equal("First paragraph.\nSecond paragraph.\n\nLine after br")
        )

    def it_should_unescape_entities_with_nbsp_as_a_space(self):
        expect(self.read["entities"]).to(equal("Tom & Jerry's TV has no <HDMI> port"))

    def it_should_drop_scripts(self):
        expect(self.read["script"]).to(equal("Hello world"))

    def it_should_drop_the_head(self):
        expect(self.read["head"]).to(equal("Body"))

    def it_should_keep_at_most_one_blank_line_in_a_row(self):
        expect(self.read["blank lines"]).to(equal("One\n\nTwo"))

    def it_should_give_each_table_row_a_line(self):
        expect(self.read["table"]).to(equal("Model HP 4000\nRoom 2.14"))

    def it_should_mark_a_blockquote_as_quoted(self):
        expect(self.read["quote"]).to(equal("Yes.\n> Is it on?\nBye"))


class When_the_quoted_mail_and_signature_are_left_out:
    def because_each_answer_is_read(self):
        self.read = {
            name: own_words(text).strip()
            for name, text in {
                "signature": "It works now.\n-- \nFred Bloggs\nACME Ltd",
                "bare signature": "It works now.\n--\nFred Bloggs",
                "english": "Yes.\n\nOn Fri, 4 Dec 2026 at 10:00, Helpdesk <helpdesk@localhost> "
                "wrote:\n> Is it on?",
                "wrapped": "Yes.\n\nOn Fri, 4 Dec 2026 at 10:00, Helpdesk <\n"
                "helpdesk@localhost> wrote:\n> Is it on?",
                "german": "Ja.\n\nAm 04.12.2026 um 10:00 schrieb Helpdesk <helpdesk@localhost>:\n"
                "\n> Ist er an?",
                "original": "Yes.\n\n-----Original Message-----\nFrom: Helpdesk\nIs it on?",
                "ursprüngliche": "Ja.\n\n-----Ursprüngliche Nachricht-----\nVon: Helpdesk\nAn?",
                "outlook": "Yes.\n\nFrom: Helpdesk <helpdesk@localhost>\n"
                "Sent: Friday, December 4, 2026 10:00 AM\nTo: Fred\nIs it on?",
                "outlook german": "Ja.\n\nVon: Helpdesk <helpdesk@localhost>\n"
                "Gesendet: Freitag, 4. Dezember 2026 10:00\nAn: Fred\nIst er an?",
                "from in a sentence": "Hi,\n\nFrom: my desk the printer is unreachable.\nThanks",
                "dashes in a sentence": "Turn it off -- and on again.",
            }.items()
        }

    def it_should_stop_at_the_signature_separator(self):
        expect(self.read["signature"]).to(equal("It works now."))

    def it_should_keep_a_bare_double_dash_which_may_be_the_senders_own_line(self):
        expect(self.read["bare signature"]).to(equal("It works now.\n--\nFred Bloggs"))

    def it_should_stop_at_on_wrote(self):
        expect(self.read["english"]).to(equal("Yes."))

    def it_should_stop_at_on_wrote_wrapped_onto_two_lines(self):
        expect(self.read["wrapped"]).to(equal("Yes."))

    def it_should_stop_at_am_schrieb(self):
        expect(self.read["german"]).to(equal("Ja."))

    def it_should_stop_at_original_message(self):
        expect(self.read["original"]).to(equal("Yes."))

    def it_should_stop_at_ursprungliche_nachricht(self):
        expect(self.read["ursprüngliche"]).to(equal("Ja."))

    def it_should_stop_at_outlooks_header_block(self):
        expect(self.read["outlook"]).to(equal("Yes."))

    def it_should_stop_at_outlooks_german_header_block(self):
        expect(self.read["outlook german"]).to(equal("Ja."))

    def it_should_keep_a_line_that_merely_starts_with_from(self):
        expect(self.read["from in a sentence"]).to(
            equal("Hi,\n\nFrom: my desk the printer is unreachable.\nThanks")
        )

    def it_should_keep_dashes_inside_a_line(self):
        expect(self.read["dashes in a sentence"]).to(equal("Turn it off -- and on again."))


FORWARD = rfc822(
    """
From: Fred Bloggs <fred@example.org>
To: helpdesk@localhost
Subject: WG: Beamer in Raum 2 defekt
Message-ID: <forward@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
""",
    b"Bitte ansehen.\r\n-- \r\nFred\r\n\r\nVon: Anna <anna@example.org>\r\n"
    b"Gesendet: Freitag, 4. Dezember 2026 10:00\r\nAn: Fred\r\nBetreff: Beamer\r\n\r\n"
    b"Der Beamer in Raum 2 geht nicht an.\r\n",
)


@pytest.mark.django_db
class When_somebody_forwards_a_mail_to_the_helpdesk:
    def because_the_forward_is_fetched(self):
        fetched(FORWARD)
        self.issue = IssueRecord.objects.get()

    def it_should_keep_the_forwarded_mail_which_is_the_point(self):
        expect(self.issue.description).to(start_with("Bitte ansehen.\n-- \nFred\n\nVon: Anna"))
        expect(self.issue.description).to(contain("Der Beamer in Raum 2 geht nicht an."))


@pytest.mark.django_db
class When_the_reporter_answers_a_closed_issue_by_mail:
    def given_a_closed_issue_of_theirs(self):
        self.closed = reported_by_fred()
        bus, alice = message_bus(), Actor.staff("alice")
        bus.handle(
            commands.MarkIssueAsResolved(issue_id=self.closed.id, resolution="Fixed.", actor=alice)
        )
        bus.handle(commands.CloseIssue(issue_id=self.closed.id, actor=alice))
        mail.outbox.clear()

    def because_the_answer_is_fetched(self):
        with delivered(execute=True):
            fetched(
                rfc822(
                    f"""
From: Fred Bloggs <fred@example.org>
To: helpdesk@localhost
Subject: Re: [{self.closed.reference}] Your issue is resolved
Message-ID: <after-close@mail.example.org>
Content-Type: text/plain; charset="utf-8"
""",
                    b"It is smoking again.\r\n",
                )
            )
        self.sent = list(mail.outbox)
        self.inbound = InboundMessage.objects.get()
        self.follow_up = IssueRecord.objects.filter(id=self.inbound.issue_id).first()
        self.closed.refresh_from_db()

    def it_should_open_a_new_issue_for_them(self):
        expect(self.inbound.status).to(equal("reported"))
        expect((self.follow_up.reporter_email, self.follow_up.status)).to(
            equal(("fred@example.org", "reported"))
        )

    def it_should_name_the_closed_issue_in_the_description(self):
        expect(self.follow_up.description).to(
            equal(f"Follow-up to {self.closed.reference}\n\nIt is smoking again.")
        )

    def it_should_keep_the_subject(self):
        expect(self.follow_up.subject).to(equal("Your issue is resolved"))

    def it_should_link_the_two_issues(self):
        expect(self.follow_up.links).to(equal({str(self.closed.id): "related"}))

    def it_should_leave_the_closed_issue_closed(self):
        expect(self.closed.status).to(equal("closed"))

    def it_should_confirm_the_new_issue_to_the_reporter(self):
        expect([(m.to, self.follow_up.reference in m.subject) for m in self.sent]).to(
            contain((["Fred Bloggs <fred@example.org>"], True))
        )


@pytest.mark.django_db
class When_the_reporter_answers_a_duplicate_merged_into_another_issue:
    def given_freds_issue_merged_into_janes(self):
        self.duplicate = reported_by_fred()
        self.target = IssueRecord.objects.get(
            id=message_bus().handle(
                commands.ReportIssue(
                    reporter_name="Jane Doe", reporter_email="jane@example.org", description="Fire."
                )
            )
        )
        message_bus().handle(
            commands.MergeIssue(
                issue_id=self.duplicate.id, into=self.target.reference, actor=Actor.staff("alice")
            )
        )

    def because_freds_answer_is_fetched(self):
        fetched(
            rfc822(
                f"""
From: Fred Bloggs <fred@example.org>
To: helpdesk@localhost
Subject: Re: [{self.duplicate.reference}] We have received your report
Message-ID: <after-merge@mail.example.org>
Content-Type: text/plain; charset="utf-8"
""",
                b"Now there are flames.\r\n",
            )
        )
        self.inbound = InboundMessage.objects.get()

    def it_should_be_a_comment_on_the_issue_it_continues_as(self):
        comment = CommentRecord.objects.get(issue=self.target)
        expect((comment.body, comment.author_email)).to(
            equal(("Now there are flames.", "fred@example.org"))
        )

    def it_should_open_no_new_issue(self):
        expect((self.inbound.status, IssueRecord.objects.count())).to(equal(("commented", 2)))
