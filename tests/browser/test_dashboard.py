"""The dashboard in Chromium: axe-core clean in both themes, readable on a 390 px phone, a
rated issue's numbers in its tables, and the tracking page's rating form clean too."""

import pytest

from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.browser.support import log_in, make_staff
from tests.browser.test_accessibility import BACKGROUND_IS_DARK, _axe, _serious_violations
from tests.web.support import issue_in, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_dashboard_and_rating_form_have_no_serious_violations(live_server, new_page, theme):
    axe = _axe()
    base = live_server.url
    make_staff("alice")
    resolved = issue_in("resolved")
    message_bus().handle(commands.RateSatisfaction(issue_id=resolved, score=5))
    staff = new_page(color_scheme=theme)
    log_in(staff, base, "alice")
    public = new_page(color_scheme=theme)
    found = {}
    for page, path in [
        (staff, "/staff/dashboard/?group_by=category"),
        (public, f"/track/{token(resolved)}/"),
        (staff, f"/staff/issues/{resolved}/"),
        (staff, "/staff/?view=resolved"),
    ]:
        page.goto(base + path)
        assert page.evaluate(BACKGROUND_IS_DARK) == (theme == "dark")
        if violations := _serious_violations(axe, page):
            found[path] = violations
    assert found == {}
    staff.goto(base + "/staff/dashboard/?group_by=category")
    assert staff.locator("#table-satisfaction tfoot").inner_text().split()[1:3] == ["1", "5.0"]


def test_the_dashboard_fits_a_phone(live_server, new_page, screenshot):
    base = live_server.url
    make_staff("alice")
    issue_in("resolved")
    phone = new_page(width=390, height=844)
    log_in(phone, base, "alice")
    phone.goto(base + "/staff/dashboard/")
    screenshot(phone, "dashboard-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("#chart-backlog svg").bounding_box()["width"] <= 390


def test_the_sla_table_fits_its_card_on_a_laptop(live_server, new_page):
    """Its seven columns' headings wrap, so the last column is not cut off at the card's edge."""
    base = live_server.url
    make_staff("alice")
    issue_in("resolved")
    page = new_page(width=1024, height=768)
    log_in(page, base, "alice")
    page.goto(base + "/staff/dashboard/?group_by=category")
    wrap = page.locator("#table-sla .table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the SLA table overflows"
