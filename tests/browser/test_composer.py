"""The composer in a real Chromium: compose and resolve in one click; send and wait, then the
reporter answers on the tracking page and the issue returns to where it was."""

import pytest
from playwright.sync_api import expect

from issues_adapters.persistence.models import IssueRecord
from tests.browser.support import log_in, make_staff
from tests.web.support import issue_in, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compose_and_resolve_in_one_click(live_server, new_page, screenshot):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    page = new_page()
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_id}/")
    expect(page.locator("#send-and-wait-button")).to_be_visible()
    page.locator("#composer-body").fill("Replaced the drum; it prints cleanly again.")
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    page.get_by_role("button", name="Send and resolve").click()
    expect(page.locator("#status")).to_have_text("Resolved")
    expect(page.locator("#timeline")).to_contain_text("Replaced the drum")
    expect(page.locator(".messages")).to_contain_text("Sent and resolved.")
    assert len(loads) == 1, loads
    # Resolved: the composer no longer offers waiting or resolving; the side panel reopens.
    expect(page.locator("#send-and-resolve-button")).to_have_count(0)
    expect(page.locator("#send-and-wait-button")).to_have_count(0)
    expect(page.locator("#reopen-form")).to_be_visible()
    screenshot(page, "20-composer-resolved")
    row = IssueRecord.objects.get(id=issue_id)
    assert (row.status, row.resolution) == (
        "resolved",
        "Replaced the drum; it prints cleanly again.",
    )


def test_send_and_wait_then_the_reporter_answers(live_server, new_page, screenshot):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    staff = new_page()
    log_in(staff, base, "alice")
    staff.goto(f"{base}/staff/issues/{issue_id}/")
    staff.locator("#composer-body").fill("Which printer model is it?")
    staff.get_by_role("button", name="Send and wait for the reporter").click()
    expect(staff.locator("#status")).to_have_text("Waiting")
    screenshot(staff, "21-composer-waiting")

    staff.goto(f"{base}/staff/?view=waiting")
    expect(staff.locator("#views [data-count=waiting]")).to_have_text("1")

    reporter = new_page()
    reporter.goto(f"{base}/track/{token(issue_id)}/")
    expect(reporter.locator("#waiting-notice")).to_be_visible()
    expect(reporter.locator("#comments")).to_contain_text("Which printer model is it?")
    reporter.get_by_label("Add a comment").fill("An HP LaserJet 4.")
    reporter.get_by_role("button", name="Add comment").click()
    expect(reporter.locator("#status")).to_have_text("Assigned")
    screenshot(reporter, "22-reporter-answered")

    staff.goto(f"{base}/staff/issues/{issue_id}/")
    expect(staff.locator("#status")).to_have_text("Assigned")
    expect(staff.locator("#timeline")).to_contain_text("The reporter answered (now Assigned)")
    assert IssueRecord.objects.get(id=issue_id).status == "assigned"
