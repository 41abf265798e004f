"""The staff queue between a phone and a wide desktop (a tablet, a laptop, a narrow window): the
views above the list once a side bar would crowd the subject out, columns giving way so the
subject keeps 200px or more, filters as wide as their longest option, and nothing scrolling
sideways, in English and in German, in a real Chromium."""

import pytest
from expects import be_above_or_equal, be_below_or_equal, equal, expect

from issues_adapters.accounts.models import LanguagePreference
from issues_adapters.sla.defaults import seed_policies
from tests.browser.support import log_in, make_staff
from tests.browser.test_queue_dates_and_tags import SUBJECT_SHOWN
from tests.browser.test_queue_layout import OVERFLOWING
from tests.web.support import issue_in, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Calendar invites arrive an hour late for the Lisbon team"

# Where the views and the list are on the page.
PLACES = """() => {
    const box = selector => document.querySelector(selector).getBoundingClientRect();
    const views = box("#views"), queue = box("#queue");
    return {viewsBottom: views.bottom, queueTop: queue.top, queueLeft: queue.left};
}"""

# The filters narrower than their longest option, which cut the chosen one ("Jede Kategorie").
FILTERS_CUT = """() => [...document.querySelectorAll("#filters select")]
    .filter(select => select.offsetParent !== null)
    .filter(select => {
        const width = select.getBoundingClientRect().width, kept = select.style.cssText;
        select.style.maxWidth = "none";
        const needs = select.getBoundingClientRect().width;
        select.style.cssText = kept;
        return width < needs - 0.5;
    })
    .map(select => select.options[select.selectedIndex].text)"""


@pytest.fixture
def queue_in(live_server):
    """A queue of issues in every open status, each priority and none, with SLA clocks; read by
    alice in English and by jana, who chose German."""
    make_staff("alice")
    LanguagePreference.objects.create(user=make_staff("jana"), language="de")
    seed_policies()
    report(description=SUBJECT)
    report(description="Shared mailbox rejects mail from the auditors.", priority="urgent")
    for status in ("triaged", "assigned", "waiting"):
        issue_in(status, description=f"{status}: the printer on the second floor jams.")
    return lambda language: (live_server.url, {"en": "alice", "de": "jana"}[language])


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [768, 800, 900, 1024, 1150, 1200, 1280, 1320, 1441, 1600])
def test_from_a_tablet_up_the_subject_keeps_200px_and_nothing_scrolls_sideways(
    queue_in, new_page, screenshot, width, language
):
    page = new_page(width=width, height=900)
    log_in(page, *queue_in(language))
    screenshot(page, f"queue-tablet-{language}-{width}")
    expect(page.evaluate(SUBJECT_SHOWN, SUBJECT)["room"]).to(be_above_or_equal(200))
    expect(page.evaluate(OVERFLOWING)).to(equal([]))


@pytest.mark.parametrize("width", [800, 900])
def test_below_1000px_the_views_are_a_row_above_the_list(queue_in, new_page, width):
    page = new_page(width=width, height=900)
    log_in(page, *queue_in("en"))
    places = page.evaluate(PLACES)
    expect(places["viewsBottom"]).to(be_below_or_equal(places["queueTop"]))
    expect(places["queueLeft"]).to(be_below_or_equal(20))
    views = page.eval_on_selector_all(
        "#views a", "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    expect(len(set(views))).to(be_below_or_equal(2))  # nine views, in a line or two
    expect(page.locator("#views a", has_text="Overdue").is_visible()).to(equal(True))


def test_on_a_phone_the_views_stay_above_the_list_and_nothing_scrolls_sideways(queue_in, new_page):
    page = new_page(width=390, height=844)
    log_in(page, *queue_in("en"))
    places = page.evaluate(PLACES)
    expect(places["viewsBottom"]).to(be_below_or_equal(places["queueTop"]))
    expect(page.evaluate(OVERFLOWING)).to(equal([]))


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [390, 768, 800, 1024, 1280, 1400, 1600, 1920])
def test_each_filter_shows_its_longest_option_whole_and_nothing_scrolls_sideways(
    queue_in, new_page, screenshot, width, language
):
    page = new_page(width=width, height=900)
    url, username = queue_in(language)
    log_in(page, url, username)
    # A filter chosen: on a phone too, the filters show. "Least urgent first" is the longest sort.
    page.goto(f"{url}/staff/?priority=urgent&sort=priority")
    screenshot(page, f"queue-filters-{language}-{width}")
    expect(page.evaluate(FILTERS_CUT)).to(equal([]))
    expect(page.evaluate(OVERFLOWING)).to(equal([]))
