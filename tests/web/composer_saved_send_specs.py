"""The page after a composer's send says which send was saved (data-sent-draft, the name the
composer gave it), once: composer.js drops that send's draft and no other. A send that was
refused says nothing, so its draft stays."""

import pytest
from expects import contain, equal, expect

from tests.web.support import issue_in, row, staff_client
from tests.web.test_composer import issue_url

pytestmark = pytest.mark.django_db

SAVED = 'data-sent-draft="mfx1q2abc9"'


def send(client, issue_id, version, draft="mfx1q2abc9"):
    fields = {
        "body": "Swapped the toner; does it still jam?",
        "visibility": "public",
        "follow_up": "send",
        "expected_version": version,
        "draft": draft,
    }
    return client.post(issue_url(issue_id, "reply"), fields)


class When_the_composers_send_is_saved:
    def given_alice_on_an_assigned_issue(self):
        self.client, self.issue_id = staff_client("alice"), issue_in("assigned")

    def because_she_sends_her_reply(self):
        response = send(self.client, self.issue_id, row(self.issue_id).version)
        self.page = self.client.get(response["Location"]).content.decode()
        self.again = self.client.get(issue_url(self.issue_id)).content.decode()

    def it_should_name_the_saved_send_on_the_page_after(self):
        expect(self.page).to(contain(SAVED))

    def it_should_name_it_once(self):
        expect(self.again.count("data-sent-draft")).to(equal(0))


class When_the_composers_send_is_refused:
    def given_alice_on_an_issue_bob_changed_since_she_opened_it(self):
        self.client, self.issue_id = staff_client("alice"), issue_in("assigned")
        self.seen = row(self.issue_id).version - 1

    def because_she_sends_her_reply(self):
        response = send(self.client, self.issue_id, self.seen)
        self.page = self.client.get(response["Location"]).content.decode()

    def it_should_name_no_saved_send(self):
        expect(self.page.count("data-sent-draft")).to(equal(0))


class When_a_send_names_itself_with_what_is_no_draft_name:
    def given_alice_on_an_assigned_issue(self):
        self.client, self.issue_id = staff_client("alice"), issue_in("assigned")

    def because_the_form_names_the_send_with_markup(self):
        version = row(self.issue_id).version
        response = send(self.client, self.issue_id, version, draft='"><script>')
        self.page = self.client.get(response["Location"]).content.decode()

    def it_should_name_no_saved_send(self):
        expect(self.page.count("data-sent-draft")).to(equal(0))
