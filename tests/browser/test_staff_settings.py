"""The settings page in a real Chromium: turning on mail for new issues brings one, and its
unsubscribe link turns it off again without logging in."""

import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.support import log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _mail_to(address: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mail.outbox if any(address in to for to in m.to)]
        if found:
            return found
        time.sleep(0.1)
    return []


def _report(page, base, text):
    page.goto(base + "/")
    page.get_by_label("Your name").fill("Fred Bloggs")
    page.get_by_label("Your email address").fill("fred@example.org")
    page.get_by_label("Subject").fill(text[:60])
    page.get_by_label("What is the problem?").fill(text)
    page.get_by_role("button", name="Send report").click()


def test_the_settings_page_turns_new_issue_mail_on_and_the_link_off(
    live_server, new_page, screenshot, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    base = live_server.url
    make_staff("alice")
    staff = new_page()
    log_in(staff, base, "alice")
    staff.get_by_role("link", name="Settings").click()
    expect(staff.get_by_label("Mail me when somebody assigns an issue to me")).to_be_checked()
    staff.get_by_label("A mail on every new issue").check()
    staff.get_by_role("button", name="Save the mail settings").click()
    expect(staff.locator(".messages")).to_contain_text("Your settings are saved.")
    expect(staff.get_by_label("A mail on every new issue")).to_be_checked()
    screenshot(staff, "30-staff-settings")

    mail.outbox.clear()
    _report(new_page(), base, "The lift is stuck on floor 3.")
    (sent,) = _mail_to("alice@example.org")
    assert "The lift is stuck on floor 3." in sent.body
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")

    # The link, opened in a browser that is not logged in: one button, and it is off.
    stranger = new_page()
    stranger.goto(base + "/" + link.split("://", 1)[-1].split("/", 1)[1])
    stranger.get_by_role("button", name="Stop this mail").click()
    expect(stranger.locator("#unsubscribed")).to_contain_text("no more mail on new issues")

    staff.reload()
    expect(staff.get_by_label("No mail on new issues")).to_be_checked()
    mail.outbox.clear()
    _report(new_page(), base, "The lift is stuck again.")
    time.sleep(1)
    assert _mail_to("alice@example.org", timeout=1) == []
