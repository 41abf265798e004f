"""The staff workspace after the session ended mid-form, and the watchers panel's refusals."""

import html

import pytest
from django.test import Client
from expects import contain, equal, expect, start_with

from issues_adapters.persistence.models import CommentRecord, WatcherRecord
from tests.web.support import issue_in, make_user, row, staff_client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-workspace-test-password"


def issue_url(issue_id, action=""):
    return f"/staff/issues/{issue_id}/" + (f"{action}/" if action else "")


def signed_out_then_in(post: str, fields: dict, referer: str | None):
    """A staff member's browser whose session ended: it sends a form, logs in where the login
    page asks, and follows the redirects. The login's response, and where it ended."""
    user = make_user("alice")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    headers = {"Referer": f"http://testserver{referer}"} if referer else {}
    sent = client.post(post, fields, headers=headers)
    login = client.get(sent["Location"])
    landed = client.post(sent["Location"], {"username": "alice", "password": PASSWORD}, follow=True)
    return sent, login, landed


class When_the_session_ended_before_a_reply_was_sent:
    def given_an_issue_with_a_typed_reply(self):
        self.issue_id = issue_in("assigned")
        self.fields = {
            "body": "My long and careful answer",
            "visibility": "internal",
            "follow_up": "send",
            "expected_version": row(self.issue_id).version,
        }

    def because_they_send_it_and_log_in_again(self):
        self.sent, self.login, self.landed = signed_out_then_in(
            issue_url(self.issue_id, "reply"), self.fields, issue_url(self.issue_id)
        )
        self.page = html.unescape(self.landed.content.decode())

    def it_should_send_them_to_log_in(self):
        expect(self.sent["Location"]).to(start_with("/accounts/login/"))
        expect(self.login.status_code).to(equal(200))

    def it_should_land_on_the_issue_page(self):
        expect(self.landed.status_code).to(equal(200))
        expect(self.landed.request["PATH_INFO"]).to(equal(issue_url(self.issue_id)))

    def it_should_not_fill_in_the_text_for_whoever_signs_in(self):
        expect(self.page).not_to(contain("My long and careful answer"))

    def it_should_say_on_the_login_page_that_nothing_was_saved(self):
        login_page = html.unescape(self.login.content.decode())
        expect(login_page).to(contain("You were signed out, so nothing was saved."))

    def it_should_have_sent_nothing(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))


class When_the_session_ended_before_a_form_from_elsewhere_was_sent:
    def given_an_issue(self):
        self.issue_id = issue_in("assigned")

    def because_a_reply_arrives_without_our_page_as_its_referer(self):
        fields = {"body": "Planted text", "follow_up": "send", "expected_version": 1}
        _sent, _login, self.landed = signed_out_then_in(
            issue_url(self.issue_id, "reply"), fields, None
        )

    def it_should_land_on_the_issue_page(self):
        expect(self.landed.status_code).to(equal(200))
        expect(self.landed.request["PATH_INFO"]).to(equal(issue_url(self.issue_id)))

    def it_should_not_fill_in_what_another_site_sent(self):
        expect(self.landed.content.decode()).not_to(contain("Planted text"))


class When_the_session_ended_before_a_bulk_action_was_sent:
    def given_an_issue_on_the_queue(self):
        self.issue_id = issue_in("triaged")
        self.queue = "/staff/?view=unassigned&category=printing"

    def because_they_send_it_and_log_in_again(self):
        fields = {"action": "assign", "assignee": "alice", "issues": str(self.issue_id)}
        _sent, _login, self.landed = signed_out_then_in("/staff/bulk/", fields, self.queue)

    def it_should_land_on_the_queue_they_were_on(self):
        expect(self.landed.status_code).to(equal(200))
        expect(self.landed.request["PATH_INFO"]).to(equal("/staff/"))
        expect(self.landed.request["QUERY_STRING"]).to(equal("view=unassigned&category=printing"))

    def it_should_have_assigned_nothing(self):
        expect(row(self.issue_id).assignee).to(equal(None))


class When_the_session_ended_before_a_bulk_action_without_a_referer:
    def because_they_send_it_and_log_in_again(self):
        _sent, _login, self.landed = signed_out_then_in("/staff/bulk/", {"action": "close"}, None)

    def it_should_land_on_the_queue(self):
        expect(self.landed.status_code).to(equal(200))
        expect(self.landed.request["PATH_INFO"]).to(equal("/staff/"))


def test_a_signed_out_page_visit_still_returns_to_its_address():
    response = Client().get("/staff/?view=mine")
    expect(response["Location"]).to(equal("/accounts/login/?next=/staff/%3Fview%3Dmine"))


class When_a_watcher_with_an_invalid_address_is_added:
    def given_an_issue(self):
        self.issue_id = issue_in("assigned")
        self.client = staff_client()

    def because_they_add_one_the_browser_accepts_and_follow_the_redirect(self):
        self.sent = self.client.post(
            issue_url(self.issue_id, "add-watcher"),
            {"email": "someone@intranet", "expected_version": row(self.issue_id).version},
        )
        self.page = self.client.get(self.sent["Location"]).content.decode()
        start = self.page.index('id="add-watcher-form"')
        self.watchers_form = self.page[start : self.page.index("</form>", start)]

    def it_should_keep_the_form_on_the_issue_page(self):
        expect(self.sent["Location"]).to(contain("?kept="))

    def it_should_show_the_error_next_to_the_watchers_field(self):
        expect(self.watchers_form).to(contain("Enter a valid email address"))
        expect(self.watchers_form).to(contain('aria-invalid="true"'))

    def it_should_keep_the_typed_address(self):
        expect(self.watchers_form).to(contain('value="someone@intranet"'))

    def it_should_add_nothing(self):
        expect(WatcherRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))
