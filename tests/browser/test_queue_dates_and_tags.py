"""The queue's dates shown whole, with their time, and a subject that its tags never crowd out,
in a real Chromium at common desktop widths and on a phone."""

import pytest
from expects import be_above, be_below_or_equal, equal, expect, have_len, match

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
# Django's "P": "5 p.m." on the hour, "noon" and "midnight" (an SLA deadline often is one).
FULL_DATE = r"^\w+day, \d{1,2} \w{3} \d{4}, (\d{1,2}(:\d\d)? [ap]\.m\.|noon|midnight) \S+$"

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

# How much of a subject shows: its text's box cut by every box that clips it, within its cell.
SUBJECT_SHOWN = """(subject) => {
    const cell = [...document.querySelectorAll("#queue td.c-subject")]
        .find(td => td.textContent.includes(subject));
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    while (!node.data.includes(subject)) node = walker.nextNode();
    const range = document.createRange();
    range.selectNodeContents(node);
    let {left, right, width} = range.getBoundingClientRect();
    for (let el = node.parentElement; el !== cell.parentElement; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.overflowX === "visible" && el !== cell) continue;
        const box = el.getBoundingClientRect();
        left = Math.max(left, box.left + el.clientLeft + parseFloat(style.paddingLeft));
        right = Math.min(right, box.left + el.clientLeft + el.clientWidth
            - parseFloat(style.paddingRight));
    }
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {shown: Math.max(0, right - left), whole: right - left >= width - 0.5, room: room};
}"""

SHOWN_TAGS = """(subject) => {
    const cell = [...document.querySelectorAll("#queue td.c-subject")]
        .find(td => td.textContent.includes(subject));
    const tags = cell.querySelector(".row-tags");
    return {chips: [...cell.querySelectorAll(".tag")].map(a => a.textContent),
            more: (cell.querySelector(".more-tags") || {}).textContent,
            title: tags && tags.title, visible: !!tags && tags.offsetParent !== null};
}"""


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


@pytest.mark.parametrize("width", [1280, 1400, 1920])
def test_with_20_tags_the_subject_keeps_most_of_its_cell_and_three_tags_follow_it(
    tagged_queue, new_page, screenshot, width
):
    page = new_page(width=width, height=900)
    log_in(page, tagged_queue, "alice")
    screenshot(page, f"queue-tags-{width}")
    subject = page.evaluate(SUBJECT_SHOWN, SUBJECT)
    expect(subject["shown"]).to(be_above(max(150, 0.7 * subject["room"])))
    tags = page.evaluate(SHOWN_TAGS, SUBJECT)
    expect(tags["chips"]).to(equal(list(TWENTY_TAGS[:3])))
    expect(tags["more"]).to(equal("+17"))
    expect(tags["title"]).to(equal(", ".join(TWENTY_TAGS)))
    expect(tags["visible"]).to(equal(True))
    expect(page.evaluate(OVERFLOWING)).to(equal([]))


def test_at_1920_a_subject_with_three_tags_shows_whole(tagged_queue, new_page):
    page = new_page(width=1920, height=900)
    log_in(page, tagged_queue, "alice")
    subject = page.evaluate(SUBJECT_SHOWN, "Colour printing comes out in black and white only.")
    expect(subject["whole"]).to(equal(True))


def test_on_a_phone_the_subject_has_its_cell_to_itself(tagged_queue, new_page, screenshot):
    page = new_page(width=390, height=844)
    log_in(page, tagged_queue, "alice")
    screenshot(page, "queue-tags-phone")
    subject = page.evaluate(SUBJECT_SHOWN, SUBJECT)
    expect(subject["shown"]).to(be_above(0.9 * subject["room"]))
    expect(page.evaluate(SHOWN_TAGS, SUBJECT)["visible"]).to(equal(False))
    expect(page.evaluate(OVERFLOWING)).to(equal([]))
    rows = page.eval_on_selector_all(
        "#queue tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    expect(rows).to(have_len(7))
    expect(max(rows)).to(be_below_or_equal(40))
