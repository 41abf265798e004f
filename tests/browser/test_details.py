"""The small things a newcomer notices first: console errors, where focus goes, the icon."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import log_in, make_staff
from tests.web.support import issue_in, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"{page.url}: {m.text}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"{page.url}: {r.status} {r.url}"),
    )
    return problems


def test_no_page_logs_an_error_in_the_console(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    public, staff = new_page(), new_page()
    problems, staff_problems = _watch(public), _watch(staff)
    for path in ("/", "/accounts/login/", f"/track/{token(issue_id)}/", "/admin/login/"):
        public.goto(base + path)
        public.wait_for_load_state("networkidle")
    log_in(staff, base, "alice")
    for path in ("/staff/", f"/staff/issues/{issue_id}/"):
        staff.goto(base + path)
        staff.wait_for_load_state("networkidle")
    assert problems + staff_problems == []


def test_a_refused_form_moves_focus_to_its_first_error(live_server, new_page):
    issue_id = issue_in("assigned")
    page = new_page()
    page.goto(f"{live_server.url}/track/{token(issue_id)}/")
    page.get_by_label("Add a comment").fill("   ")  # passes the browser's check, not ours
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("#id_body")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Add a comment")).to_be_focused()


def test_staff_do_not_see_the_internal_version_number(live_server, new_page):
    base = live_server.url
    make_staff("alice")
    issue_id = issue_in("assigned")
    page = new_page()
    log_in(page, base, "alice")
    page.goto(f"{base}/staff/issues/{issue_id}/")
    text = page.locator("main").inner_text()
    assert "Version" not in text
    assert not re.search(r"\bv\d+\b", text), text
