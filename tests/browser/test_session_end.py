"""A staff member's session ends while they type on the issue page (its poll still running):
what they typed comes back after they sign in again, and to nobody else."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from issues_adapters.persistence.models import CommentRecord
from tests.browser.support import PASSWORD, log_in, make_staff
from tests.web.support import issue_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Swapped the fuser; please print a test page."


def typed_when_the_session_ended(page, base, issue_id):
    """Alice types a reply; her session ends on the server and the page polls once more."""
    page.goto(f"{base}/staff/issues/{issue_id}/")
    page.locator("#composer-body").fill(TYPED)
    page.get_by_label("Internal note: staff only").check()
    with page.expect_response(lambda response: "/version/" in response.url):
        Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url(f"{base}/accounts/login/**")


def sign_in_as(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_the_author_finds_what_she_typed_after_signing_in_again(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    page = new_page()
    log_in(page, base, "alice")
    typed_when_the_session_ended(page, base, issue_id)
    expect(page.locator(".messages")).to_contain_text("What you typed is kept")
    sign_in_as(page, "alice")
    page.wait_for_url(f"{base}/staff/issues/{issue_id}/**")
    expect(page.locator("#composer-body")).to_have_value(TYPED)
    expect(page.get_by_label("Internal note: staff only")).to_be_checked()
    expect(page.locator("#refusal")).to_contain_text("you were signed out before it was sent")
    assert not CommentRecord.objects.filter(issue_id=issue_id).exists()


def test_whoever_signs_in_next_finds_an_empty_composer(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    make_staff("bob")
    issue_id = issue_in("assigned")
    page = new_page()
    log_in(page, base, "alice")
    typed_when_the_session_ended(page, base, issue_id)
    sign_in_as(page, "bob")
    page.wait_for_url(f"{base}/staff/issues/{issue_id}/**")
    expect(page.locator(".site-user .who")).to_have_text("bob")
    expect(page.locator("#composer-body")).to_have_value("")
    expect(page.locator("#refusal")).to_have_count(0)
