"""The staff workspace's keyboard shortcuts against what the bulk panel has selected."""

import pytest
from playwright.sync_api import expect

from issues_adapters.persistence.models import IssueRecord
from tests.browser.support import log_in, make_staff
from tests.web.support import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_assigns_only_the_current_issue_while_all_matching_is_ticked(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    for n in range(29):
        report(description=f"Problem {n}", category="other")
    page = new_page()
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/?view=open&category=other")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.locator("#all-matching").check()
    page.locator("#f-q").focus()
    page.locator("#f-q").blur()
    page.keyboard.press("j")
    current = page.locator("#queue tbody tr.current")
    reference = current.locator("a.issue-link").inner_text()
    page.keyboard.press("a")
    expect(page.locator(".messages")).to_contain_text("1 assigned.")
    assigned = IssueRecord.objects.filter(assignee="alice")
    assert list(assigned.values_list("reference", flat=True)) == [reference]
