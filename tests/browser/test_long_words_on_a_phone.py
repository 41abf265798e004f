"""A long unbroken word or URL in what a reporter typed (name, description, comment) wraps
inside its box: neither the tracking page nor the staff issue page scrolls sideways on a
phone."""

import pytest

from tests.browser.support import log_in, make_staff
from tests.web.support import comment, report, token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "https://printers.example.org/" + "drivers" * 20
NAME = "Frederick" * 10

# The page, if it scrolls sideways, and every box whose text runs out of it.
WIDER_THAN_THE_SCREEN = """() => {
    const found = [...document.querySelectorAll("main *")]
        .filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
        .map(el => el.tagName + "#" + el.id + "." + el.className);
    if (document.documentElement.scrollWidth > window.innerWidth) found.push("the page");
    return found;
}"""


@pytest.fixture
def issue_full_of_long_words(live_server):
    make_staff("alice")
    issue_id = report(reporter_name=NAME, description=f"It prints {URL} on every page.")
    comment(issue_id, f"See {URL} for the driver.")
    return live_server.url, issue_id


def test_the_tracking_page_fits_a_phone(issue_full_of_long_words, new_page, screenshot):
    base_url, issue_id = issue_full_of_long_words
    page = new_page(width=390, height=844)
    page.goto(f"{base_url}/track/{token(issue_id)}/")
    screenshot(page, "track-long-words-phone")
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []


def test_the_staff_issue_page_fits_a_phone(issue_full_of_long_words, new_page, screenshot):
    base_url, issue_id = issue_full_of_long_words
    page = new_page(width=390, height=844)
    log_in(page, base_url, "alice")
    page.goto(f"{base_url}/staff/issues/{issue_id}/")
    screenshot(page, "issue-long-words-phone")
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
