"""Canned replies by keyboard, the tag filter and a merge, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from issues_adapters.canned_replies.models import CannedReplyRecord
from tests.browser.support import log_in, make_staff
from tests.web.support import issue_in, report, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_canned_reply_is_chosen_and_inserted_with_the_keyboard(live_server, new_page, screenshot):
    make_staff("alice")
    CannedReplyRecord.objects.create(title="Asking for a photo", body="x", updated_by="alice")
    CannedReplyRecord.objects.create(
        title="Thanks for waiting",
        body="Hello {reporter_name}, {reference} is fixed. {agent_name}",
        updated_by="alice",
    )
    issue_id = issue_in("assigned")
    reference = row(issue_id).reference
    page = new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/staff/issues/{issue_id}/")

    composer = page.locator("#composer-body")
    composer.fill("Good news. ")
    picker = page.get_by_role("combobox", name="Insert a canned reply")
    picker.focus()
    picker.press_sequentially("thanks")
    expect(page.get_by_role("option", name="Asking for a photo")).to_be_hidden()
    picker.press("ArrowDown")
    picker.press("ArrowUp")  # wraps round the one option left, which stays chosen
    expect(page.get_by_role("option", name="Thanks for waiting")).to_have_attribute(
        "aria-selected", "true"
    )
    screenshot(page, "13-canned-reply-picker")
    picker.press("Enter")

    expect(composer).to_have_value(f"Good news. Hello Fred Bloggs, {reference} is fixed. alice")
    expect(composer).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/staff/issues/{issue_id}/$"))  # nothing was sent
    page.locator("#composer-form").get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#timeline")).to_contain_text(f"Hello Fred Bloggs, {reference} is fixed.")


def test_tags_added_on_the_issue_page_filter_the_queue(live_server, new_page):
    make_staff("alice")
    tagged = report(description="The scanner shows a blank page")
    report(description="The coffee machine is empty")
    page = new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/staff/issues/{tagged}/")
    page.get_by_label("Add tags").fill("Scanner")
    page.get_by_role("button", name="Add tags").click()
    expect(page.locator("#tags-errors")).to_contain_text("lowercase")
    expect(page.get_by_label("Add tags")).to_have_value("Scanner")
    page.get_by_label("Add tags").fill("scanner, floor-2")
    page.get_by_role("button", name="Add tags").click()
    expect(page.locator("#issue-tags")).to_contain_text("scanner")

    page.goto(f"{live_server.url}/staff/")
    expect(page.locator("#queue tbody tr")).to_have_count(2)
    page.locator("#queue").get_by_role("link", name="scanner").click()
    expect(page.locator("#tag-filter")).to_have_text("scanner")
    expect(page.locator("#queue tbody tr")).to_have_count(1)
    expect(page.locator("#queue")).to_contain_text("The scanner shows a blank page")
    page.reload()  # the side bar's counts follow the events a moment after the commit
    expect(page.locator('#tag-counts [data-count="tag:scanner"]')).to_have_text("1")


def test_a_duplicate_is_merged_from_its_page(live_server, new_page, screenshot):
    make_staff("alice")
    target = issue_in("assigned")
    duplicate = report(reporter_email="dee@example.org")
    reference = row(target).reference
    page = new_page()
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/staff/issues/{duplicate}/")
    screenshot(page, "13-issue-side-panels")
    page.get_by_label("Merge into issue (reference)").fill(reference)
    page.get_by_role("button", name="Merge and close this one").click()
    expect(page.locator("#status")).to_have_text("Closed")
    expect(page.locator("#merged-into")).to_contain_text(reference)
    page.locator("#merged-into").get_by_role("link", name=reference).click()
    expect(page.locator("#timeline")).to_contain_text(
        f"{row(duplicate).reference} was merged into this issue"
    )
