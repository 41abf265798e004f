"""A refused composer keeps what was typed, but no page can put a file back into a file field:
the page names each file that was not sent and asks to attach it again, whether another agent
changed the issue meanwhile, the lifecycle refused it, or the session had ended."""

import html

import pytest
from expects import contain, equal, expect

from issues_adapters.persistence.models import AttachmentRecord
from tests.attachments.support import upload
from tests.web.support import issue_in, row, staff_client
from tests.web.test_staff_workspace import (
    With_alices_session_ended_while_she_typed_a_reply,
    issue_url,
    sign_in,
)

pytestmark = pytest.mark.django_db

NOT_SENT = "These files were not sent. Attach them again before you send"
ONE_NOT_SENT = "This file was not sent. Attach it again before you send"


def send(client, issue_id, files, version=None, follow_up="send", **headers):
    fields = {
        "body": "The photos you asked for.",
        "visibility": "public",
        "follow_up": follow_up,
        "expected_version": row(issue_id).version if version is None else version,
        "files": files,
    }
    return client.post(issue_url(issue_id, "reply"), fields, headers=headers)


def page_after(client, response) -> str:
    return html.unescape(client.get(response["Location"]).content.decode())


def files_notice(page: str) -> str:
    start = page.index('id="files-not-sent"')
    return page[start : page.index("</div>", start)]


class When_a_reply_with_files_is_sent_after_someone_else_changed_the_issue:
    def given_alice_has_the_page_open_while_bob_triages_it(self):
        self.issue_id = issue_in("assigned")
        self.seen = row(self.issue_id).version
        staff_client("bob").post(
            issue_url(self.issue_id, "triage"),
            {"category": "printing", "priority": "low", "expected_version": self.seen},
        )

    def because_alice_sends_her_reply_with_two_files(self):
        alice = staff_client("alice")
        files = [upload("jam.png", b"one"), upload("tray %222%22.txt", b"two")]
        self.page = page_after(alice, send(alice, self.issue_id, files, version=self.seen))

    def it_should_keep_her_text(self):
        expect(self.page).to(contain("The photos you asked for."))

    def it_should_say_the_files_were_not_sent_and_must_be_attached_again(self):
        expect(files_notice(self.page)).to(contain(NOT_SENT))

    def it_should_name_each_file(self):
        expect(files_notice(self.page)).to(contain("<li>jam.png</li>"))
        expect(files_notice(self.page)).to(contain('<li>tray "2".txt</li>'))

    def it_should_store_none_of_them(self):
        expect(AttachmentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))


class When_the_lifecycle_refuses_a_reply_with_a_file:
    def because_alice_asks_a_reported_issue_to_wait_with_a_file_attached(self):
        alice, issue_id = staff_client("alice"), issue_in("reported")
        response = send(alice, issue_id, [upload("log.txt", b"lines")], follow_up="await_reporter")
        self.page = page_after(alice, response)

    def it_should_name_the_file_to_attach_again(self):
        expect(files_notice(self.page)).to(contain(ONE_NOT_SENT))
        expect(files_notice(self.page)).to(contain("<li>log.txt</li>"))


class When_a_reply_without_files_is_refused:
    def because_alice_sends_it_after_bob_changed_the_issue(self):
        alice, issue_id = staff_client("alice"), issue_in("assigned")
        seen = row(issue_id).version
        staff_client("bob").post(
            issue_url(issue_id, "triage"),
            {"category": "printing", "priority": "low", "expected_version": seen},
        )
        self.page = page_after(alice, send(alice, issue_id, [], version=seen))

    def it_should_mention_no_files(self):
        expect(self.page).not_to(contain('id="files-not-sent"'))


class When_the_session_ended_before_a_reply_with_a_file_was_sent(
    With_alices_session_ended_while_she_typed_a_reply
):
    def because_she_sends_it_with_a_file_and_signs_in_again(self):
        referer = {"Referer": f"http://testserver{issue_url(self.issue_id)}"}
        sent = send(self.browser, self.issue_id, [upload("photo.png", b"img")], **referer)
        _login, _landed, self.page = sign_in(self.browser, sent, "alice")

    def it_should_name_the_file_to_attach_again(self):
        expect(files_notice(self.page)).to(contain(ONE_NOT_SENT))
        expect(files_notice(self.page)).to(contain("<li>photo.png</li>"))
