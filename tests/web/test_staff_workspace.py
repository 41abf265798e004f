"""The staff workspace after the session ended mid-form, and the watchers panel's refusals."""

import html
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.utils import timezone
from expects import be_above, be_below, contain, equal, expect, start_with

from issues_adapters.accounts.housekeeping import clear_expired_sessions
from issues_adapters.accounts.sessions import SessionStore
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


KEPT_MESSAGE = "What you typed is kept and will be back in the form after you sign in."
NOTHING_SAVED = "You were signed out, so nothing was saved."
TYPED = "My long and careful answer"


def staff_member(username: str):
    user = make_user(username)
    user.set_password(PASSWORD)
    user.save()
    return user


def signed_in_browser(username: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client


def end_the_session(client: Client) -> None:
    """The session ends on the server; the browser still has its cookie (it keeps it a day
    longer than the session lasts)."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(hours=3))


def send_reply(client: Client, issue_id, body: str = TYPED):
    fields = {
        "body": body,
        "visibility": "internal",
        "follow_up": "send",
        "expected_version": row(issue_id).version,
        "csrfmiddlewaretoken": "a-token-never-kept",
    }
    referer = {"Referer": f"http://testserver{issue_url(issue_id)}"}
    return client.post(issue_url(issue_id, "reply"), fields, headers=referer)


def sign_in(client: Client, sent, username: str):
    """The login page the form was sent to, and the page the sign-in as `username` lands on."""
    login = html.unescape(client.get(sent["Location"]).content.decode())
    credentials = {"username": username, "password": PASSWORD}
    landed = client.post(sent["Location"], credentials, follow=True)
    return login, landed, html.unescape(landed.content.decode())


def sessions_holding(text: str) -> int:
    return sum(text in str(session.get_decoded()) for session in Session.objects.all())


class With_alices_session_ended_while_she_typed_a_reply:
    def given_alice_signed_in_on_an_issue_page(self):
        staff_member("alice")
        self.issue_id = issue_in("assigned")
        self.browser = signed_in_browser("alice")
        self.browser.get(issue_url(self.issue_id))

    def given_her_session_ended(self):
        end_the_session(self.browser)


class When_the_session_ended_before_the_author_sent_a_reply(
    With_alices_session_ended_while_she_typed_a_reply
):
    def because_she_sends_it_and_signs_in_again(self):
        self.sent = send_reply(self.browser, self.issue_id)
        self.login, self.landed, self.page = sign_in(self.browser, self.sent, "alice")

    def it_should_say_on_the_login_page_that_what_she_typed_is_kept(self):
        expect(self.login).to(contain(NOTHING_SAVED))
        expect(self.login).to(contain(KEPT_MESSAGE))

    def it_should_land_on_the_issue_page(self):
        expect(self.landed.request["PATH_INFO"]).to(equal(issue_url(self.issue_id)))

    def it_should_hold_what_she_typed_in_the_composer(self):
        expect(self.page).to(contain(f"{TYPED}</textarea>"))
        expect(self.page).to(contain('id="id_visibility_1" checked'))

    def it_should_say_why_it_is_back(self):
        expect(self.page).to(contain("you were signed out before it was sent"))

    def it_should_have_sent_nothing(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))

    def it_should_keep_no_csrf_token(self):
        expect(sessions_holding("a-token-never-kept")).to(equal(0))


class When_someone_else_signs_in_after_the_session_ended(
    With_alices_session_ended_while_she_typed_a_reply
):
    def given_bob(self):
        staff_member("bob")

    def because_alice_sends_it_and_bob_signs_in_next(self):
        self.sent = send_reply(self.browser, self.issue_id)
        self.login, self.landed, self.page = sign_in(self.browser, self.sent, "bob")

    def it_should_land_on_the_issue_page(self):
        expect(self.landed.request["PATH_INFO"]).to(equal(issue_url(self.issue_id)))

    def it_should_not_fill_in_alices_text_for_bob(self):
        expect(self.page).not_to(contain(TYPED))

    def it_should_keep_it_nowhere(self):
        expect(sessions_holding(TYPED)).to(equal(0))


class When_the_author_signs_in_a_day_after_the_session_ended(
    With_alices_session_ended_while_she_typed_a_reply
):
    def because_she_sends_it_and_signs_in_more_than_a_day_later(self):
        self.sent = send_reply(self.browser, self.issue_id)
        self.draft_session_ends = Session.objects.get(
            session_key=self.browser.cookies[settings.SESSION_COOKIE_NAME].value
        ).expire_date
        later = time.time() + 24 * 3600 + 60
        with mock.patch("issues_adapters.web.kept_forms.time.time", return_value=later):
            _login, _landed, self.page = sign_in(self.browser, self.sent, "alice")

    def it_should_not_fill_it_in_any_more(self):
        expect(self.page).not_to(contain(TYPED))

    def it_should_have_kept_it_in_a_session_that_ends_within_a_day(self):
        expect(self.draft_session_ends).to(be_below(timezone.now() + timedelta(days=1, seconds=1)))


class When_the_session_ended_before_the_author_added_tags(
    With_alices_session_ended_while_she_typed_a_reply
):
    def because_she_adds_them_and_signs_in_again(self):
        fields = {"add": "floor-7, toner", "expected_version": row(self.issue_id).version}
        referer = {"Referer": f"http://testserver{issue_url(self.issue_id)}"}
        sent = self.browser.post(issue_url(self.issue_id, "tags"), fields, headers=referer)
        _login, _landed, self.page = sign_in(self.browser, sent, "alice")

    def it_should_hold_them_in_the_tags_field(self):
        expect(self.page).to(contain('name="add" maxlength="2000" value="floor-7, toner"'))


class When_the_issue_page_polled_after_the_session_ended(
    With_alices_session_ended_while_she_typed_a_reply
):
    def because_the_page_polls_before_she_sends_it(self):
        self.browser.get(issue_url(self.issue_id, "version"))
        self.browser.get(issue_url(self.issue_id, "version"))
        self.sent = send_reply(self.browser, self.issue_id)
        _login, _landed, self.page = sign_in(self.browser, self.sent, "alice")

    def it_should_still_know_whose_text_it_is(self):
        expect(self.page).to(contain(f"{TYPED}</textarea>"))


class When_the_author_sends_forms_from_two_tabs_after_the_session_ended(
    With_alices_session_ended_while_she_typed_a_reply
):
    def given_a_second_issue_open(self):
        self.other_issue = issue_in("assigned")

    def because_she_sends_both_and_signs_in_from_the_second(self):
        send_reply(self.browser, self.issue_id)
        self.sent = send_reply(self.browser, self.other_issue, body="The second tab's answer")
        _login, _landed, self.page = sign_in(self.browser, self.sent, "alice")

    def it_should_hold_the_second_tabs_text_too(self):
        expect(self.page).to(contain("The second tab's answer</textarea>"))


class When_the_author_had_signed_out_before_a_form_was_sent(
    With_alices_session_ended_while_she_typed_a_reply
):
    def given_she_signed_out_in_another_tab(self):
        self.browser.post("/accounts/logout/")
        self.cookie_after_logout = self.browser.cookies[settings.SESSION_COOKIE_NAME].value

    def because_the_open_page_sends_a_reply_and_she_signs_in(self):
        self.sent = send_reply(self.browser, self.issue_id)
        self.login, _landed, self.page = sign_in(self.browser, self.sent, "alice")

    def it_should_have_deleted_the_session_cookie_at_the_logout(self):
        expect(self.cookie_after_logout).to(equal(""))

    def it_should_keep_nothing(self):
        expect(self.login).to(contain(NOTHING_SAVED))
        expect(self.login).not_to(contain(KEPT_MESSAGE))
        expect(self.page).not_to(contain(TYPED))


class When_the_authors_password_changed_after_the_session_ended(
    With_alices_session_ended_while_she_typed_a_reply
):
    def given_a_new_password(self):
        alice = get_user_model().objects.get(username="alice")
        alice.set_password(PASSWORD)  # a new salt: a new hash, as with any new password
        alice.save()

    def because_the_open_page_sends_a_reply_and_she_signs_in(self):
        self.sent = send_reply(self.browser, self.issue_id)
        self.login, _landed, self.page = sign_in(self.browser, self.sent, "alice")

    def it_should_keep_nothing(self):
        expect(self.login).not_to(contain(KEPT_MESSAGE))
        expect(self.page).not_to(contain(TYPED))


class With_a_reply_sent_with_a_session_cookie_that_names_nobody:
    def given_alice_and_an_issue(self):
        self.alice = staff_member("alice")
        self.issue_id = issue_in("assigned")

    def because_a_reply_is_sent_with_that_cookie_and_alice_signs_in(self):
        self.browser = Client()
        self.browser.cookies[settings.SESSION_COOKIE_NAME] = self.cookie()
        self.sent = send_reply(self.browser, self.issue_id)
        self.login, _landed, self.page = sign_in(self.browser, self.sent, "alice")

    def it_should_say_that_nothing_was_saved(self):
        expect(self.login).to(contain(NOTHING_SAVED))
        expect(self.login).not_to(contain(KEPT_MESSAGE))

    def it_should_keep_nothing(self):
        expect(self.page).not_to(contain(TYPED))
        expect(sessions_holding(TYPED)).to(equal(0))


def ended_session(session_data: str) -> str:
    key = "k" * 32
    Session.objects.create(
        session_key=key, session_data=session_data, expire_date=timezone.now() - timedelta(hours=1)
    )
    return key


class When_a_form_comes_with_an_unknown_session_cookie(
    With_a_reply_sent_with_a_session_cookie_that_names_nobody
):
    def cookie(self):
        return "forged0123456789forged0123456789"


class When_a_form_comes_with_the_cookie_of_an_ended_anonymous_session(
    With_a_reply_sent_with_a_session_cookie_that_names_nobody
):
    def cookie(self):
        return ended_session(SessionStore().encode({"visited": True}))


class When_a_form_comes_with_an_ended_session_signed_with_another_secret(
    With_a_reply_sent_with_a_session_cookie_that_names_nobody
):
    def cookie(self):
        forged = {
            SESSION_KEY: str(self.alice.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
            HASH_SESSION_KEY: self.alice.get_session_auth_hash(),
        }
        salt = "django.contrib.sessions.SessionStore"
        data = signing.dumps(forged, key="not-our-secret", salt=salt, compress=True)
        return ended_session(data)


def test_a_session_cookie_outlives_its_session_by_a_day():
    staff_member("alice")
    browser = signed_in_browser("alice")
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME]
    session = Session.objects.get(session_key=cookie.value)
    lasts = (session.expire_date - timezone.now()).total_seconds()
    expect(int(cookie["max-age"]) - lasts).to(be_above(24 * 3600 - 5))


def test_an_ended_session_stays_a_day_to_name_whose_form_it_was():
    for ended in (timedelta(hours=23), timedelta(days=1, minutes=1)):
        Session.objects.create(
            session_key=f"ended-{ended.total_seconds():.0f}",
            session_data="",
            expire_date=timezone.now() - ended,
        )
    expect(clear_expired_sessions()).to(equal(1))
    expect(list(Session.objects.values_list("session_key", flat=True))).to(equal(["ended-82800"]))


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
