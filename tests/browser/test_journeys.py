"""The journeys of issue 5, in a real Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from issues_adapters.persistence.models import IssueRecord
from tests.browser.support import log_in, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_staff_reporter_journey(live_server, new_page, screenshot):
    base = live_server.url
    make_staff("alice")

    # A reporter reports an issue and gets the confirmation with the tracking link.
    reporter = new_page()
    reporter.goto(base + "/")
    screenshot(reporter, "01-report-form")
    reporter.get_by_label("Your name").fill("Fred Bloggs")
    reporter.get_by_label("Your email address").fill("fred@example.org")
    reporter.get_by_label("Subject").fill("Printer eats paper")
    reporter.get_by_label("What is the problem?").fill("The printer on floor 2 eats paper.")
    reporter.get_by_label("Category (optional)").select_option("printing")
    reporter.get_by_role("button", name="Send report").click()
    expect(reporter.get_by_role("heading", name="Thank you: we have your report")).to_be_visible()
    reference = reporter.locator("#reference").inner_text()
    assert re.fullmatch(r"HD-\d+", reference)
    screenshot(reporter, "02-confirmation")
    reporter.locator("#tracking-link").click()
    expect(reporter.locator("#status")).to_have_text("Reported")
    screenshot(reporter, "03-tracking-page")
    tracking_url = reporter.url

    # A staff member logs in, finds it in Unassigned, picks it, replies, notes, resolves.
    staff = new_page()
    log_in(staff, base, "alice")
    staff.get_by_role("link", name=re.compile("^Unassigned")).click()
    expect(staff.locator("#views a.active")).to_contain_text("Unassigned")
    expect(staff.locator("#views [data-count=unassigned]")).to_have_text("1")
    screenshot(staff, "04-staff-queue")
    staff.get_by_role("link", name=reference).click()
    expect(staff.get_by_role("heading", name=re.compile(reference))).to_be_visible()
    staff.get_by_role("button", name="Assign to me (pick)").click()
    expect(staff.locator("#assignee")).to_have_text("alice")

    composer = staff.locator("#composer-form")
    composer.get_by_label("Reply or note").fill("We are ordering a new feed roller.")
    composer.get_by_label("Public reply: the reporter sees it").check()
    composer.get_by_role("button", name="Send", exact=True).click()
    expect(staff.locator("#timeline")).to_contain_text("We are ordering a new feed roller.")

    composer = staff.locator("#composer-form")
    composer.get_by_label("Reply or note").fill("Third roller this year; talk to the vendor.")
    composer.get_by_label("Internal note: staff only").check()
    composer.get_by_role("button", name="Send", exact=True).click()
    expect(staff.locator("#timeline li.internal")).to_contain_text("Third roller this year")

    composer = staff.locator("#composer-form")
    composer.get_by_label("Reply or note").fill("Replaced the feed roller.")
    composer.get_by_label("Public reply: the reporter sees it").check()
    composer.get_by_role("button", name="Send and resolve").click()
    expect(staff.locator("#status")).to_have_text("Resolved")
    screenshot(staff, "05-staff-issue-page")

    # The reporter sees the public reply, never the note, and reopens the issue.
    reporter.goto(tracking_url)
    expect(reporter.locator("#status")).to_have_text("Resolved")
    expect(reporter.locator("#comments")).to_contain_text("We are ordering a new feed roller.")
    assert "Third roller" not in reporter.content()
    assert "vendor" not in reporter.content()
    reporter.get_by_label("What is still wrong?").fill("It is eating paper again.")
    reporter.get_by_role("button", name="Reopen the issue").click()
    expect(reporter.locator("#status")).to_have_text("Assigned")
    screenshot(reporter, "06-tracking-after-reopen")
    assert IssueRecord.objects.get(reference=reference).status == "assigned"


def test_two_staff_on_one_issue_see_the_collision_notice(live_server, new_page, screenshot):
    base = live_server.url
    make_staff("alice")
    make_staff("bob")
    reporter = new_page()
    reporter.goto(base + "/")
    reporter.get_by_label("Your name").fill("Fred Bloggs")
    reporter.get_by_label("Your email address").fill("fred@example.org")
    reporter.get_by_label("Subject").fill("Wi-Fi drops")
    reporter.get_by_label("What is the problem?").fill("Wi-Fi drops in room 3.")
    reporter.get_by_role("button", name="Send report").click()
    issue = IssueRecord.objects.get()

    alice, bob = new_page(), new_page()
    log_in(alice, base, "alice")
    log_in(bob, base, "bob")
    alice.goto(f"{base}/staff/issues/{issue.id}/")
    bob.goto(f"{base}/staff/issues/{issue.id}/")
    expect(alice.locator("#collision-notice")).to_be_hidden()
    # Each sees that the other has the issue open.
    expect(alice.locator("#looking")).to_have_text("Also looking at this issue: bob", timeout=8_000)
    expect(bob.locator("#looking")).to_have_text("Also looking at this issue: alice")

    # Alice starts typing a resolution while Bob picks the issue.
    alice.locator("#composer-body").fill("Restarted the access point.")
    bob.get_by_role("button", name="Assign to me (pick)").click()
    expect(bob.locator("#assignee")).to_have_text("bob")

    notice = alice.locator("#collision-notice")
    expect(notice).to_be_visible(timeout=8_000)
    expect(notice).to_contain_text("bob picked it")
    screenshot(alice, "07-collision-notice")

    # Her form, posted against the old version, is refused and keeps what she typed.
    alice.get_by_role("button", name="Send and resolve").click()
    expect(alice.locator("#stale-notice")).to_contain_text("bob changed this issue")
    expect(alice.locator("#composer-body")).to_have_value("Restarted the access point.")
    expect(alice.locator("#stale-notice")).to_be_focused()
    # The address is the issue page's, so reloading shows it again and sends nothing.
    assert "/reply/" not in alice.url
    alice.reload()
    expect(alice.locator("#composer-body")).to_have_value("Restarted the access point.")
    issue.refresh_from_db()
    assert (issue.status, issue.assignee) == ("assigned", "bob")


def test_keyboard_shortcuts_on_the_queue(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    from tests.web.support import report

    report(description="First problem")
    report(description="Second problem")
    page = new_page()
    log_in(page, base, "alice")
    page.keyboard.press("?")
    expect(page.locator("#shortcuts-help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#shortcuts-help")).to_be_hidden()
    page.keyboard.press("j")
    expect(page.locator("#queue tbody tr.current")).to_have_count(1)
    page.keyboard.press("j")
    current = page.locator("#queue tbody tr.current")
    reference = current.locator("a.issue-link").inner_text()
    page.keyboard.press("a")
    expect(page.locator(".messages")).to_contain_text("1 assigned.")
    assert IssueRecord.objects.get(reference=reference).assignee == "alice"
