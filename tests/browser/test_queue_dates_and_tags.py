"""The queue's dates shown whole, with their time, in a real Chromium at common desktop
widths."""

import pytest
from expects import equal, expect, match

from issues_adapters.sla.defaults import seed_policies
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.browser.support import log_in, make_staff
from tests.browser.test_queue_layout import OVERFLOWING
from tests.web.support import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECT = "Calendar invites arrive an hour late for the Lisbon team"
TWENTY_TAGS = tuple(f"tag-{n:02}-{'x' * n}" for n in range(20))
COMPACT_DATE = r"^\d\d/\d\d/\d{4} \d\d:\d\d$"
FULL_DATE = r"^\w+day, \d{1,2} \w{3} \d{4}, \d{1,2}:\d\d [ap]\.m\. \S+$"

# The date cells a reader sees: their text, whether it fits, and their <time>'s title.
DATE_CELLS = """() => [...document.querySelectorAll(
        "#queue td.c-reported, #queue td.c-updated, #queue td.c-sla time")]
    .filter(el => el.offsetParent !== null)
    .map(el => {
        const cell = el.closest("td"), time = el.closest("time") || el.querySelector("time");
        return {column: cell.className, text: el.innerText.trim(), fits:
            cell.scrollWidth <= cell.clientWidth, title: time.title,
            datetime: time.getAttribute("datetime")};
    })"""


@pytest.fixture
def tagged_queue(live_server):
    make_staff("alice")
    seed_policies()
    bus, alice = message_bus(), Actor.staff("alice")
    for n in range(5):
        report(description=f"{n}: The printer on the second floor jams on every other page.")
    three = report(description="Colour printing comes out in black and white only.")
    bus.handle(
        commands.TagIssue(issue_id=three, actor=alice, add=("printer", "colour", "urgent-check"))
    )
    twenty = report(description=SUBJECT)
    bus.handle(commands.TagIssue(issue_id=twenty, actor=alice, add=TWENTY_TAGS))
    return live_server.url


@pytest.mark.parametrize(
    "width, columns",
    [
        (1280, ["c-updated"]),
        (1400, ["c-updated"]),
        (1920, ["c-reported", "c-sla", "c-updated"]),
    ],
)
def test_the_dates_show_whole_with_their_time_and_the_full_timestamp_in_their_title(
    tagged_queue, new_page, screenshot, width, columns
):
    page = new_page(width=width, height=900)
    log_in(page, tagged_queue, "alice")
    screenshot(page, f"queue-dates-{width}")
    cells = page.evaluate(DATE_CELLS)
    expect(sorted({cell["column"] for cell in cells})).to(equal(columns))
    for cell in cells:
        expect(cell["fits"]).to(equal(True))
        expect(cell["text"]).to(match(COMPACT_DATE))
        expect(cell["title"]).to(match(FULL_DATE))
        expect(cell["datetime"]).to(match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"))
    expect(page.evaluate(OVERFLOWING)).to(equal([]))
