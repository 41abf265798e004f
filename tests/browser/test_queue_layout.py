"""The staff queue as a dense list: one line an issue, nothing wider than its box, the bulk
panel only while something is selected, and the first issue above the fold on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import log_in, make_staff
from tests.web.support import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = (
    "The printer on the second floor, the one next to the kitchen, jams on every other page "
    "and prints a grey stripe down the middle of everything since the update on Monday."
)

# Whatever overflows its box sideways: the page, or any element that scrolls or clips (text
# cut short with an ellipsis is meant to be).
OVERFLOWING = """() => {
    const found = [];
    if (document.documentElement.scrollWidth > window.innerWidth) found.push("the page");
    for (const el of document.querySelectorAll("main *")) {
        const style = getComputedStyle(el);
        if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== "visible"
                && style.textOverflow !== "ellipsis" && !el.closest(".visually-hidden")) {
            found.push(el.tagName + "#" + el.id + "." + el.className);
        }
    }
    const table = document.querySelector("#queue");
    const box = table.parentElement.getBoundingClientRect();
    if (table.getBoundingClientRect().right > box.right + 1) found.push("#queue beyond its box");
    return found;
}"""


@pytest.fixture
def queue_of_30(live_server):
    make_staff("alice")
    for n in range(30):
        report(
            reporter_name="Frederick Bloggs-Montgomery",
            reporter_email=f"frederick.bloggs-montgomery{n}@example.org",
            description=f"{n}: {LONG}",
            priority="urgent" if n % 3 else None,
            category="printing" if n % 2 else None,
        )
    return live_server.url


def _rows_in_view(page, height: int) -> int:
    return page.evaluate(
        """(height) => [...document.querySelectorAll("#queue tbody tr")]
            .filter(row => row.getBoundingClientRect().bottom <= height).length""",
        height,
    )


def test_at_1366_nothing_overflows_and_15_issues_show_one_line_each(
    queue_of_30, new_page, screenshot
):
    page = new_page(width=1366, height=900)
    log_in(page, queue_of_30, "alice")
    screenshot(page, "11-queue-1366")
    assert page.evaluate(OVERFLOWING) == []
    expect(page.locator("#queue thead")).to_contain_text("Updated")
    assert page.locator("#queue th", has_text="Updated").bounding_box()["x"] + 40 <= 1366
    assert _rows_in_view(page, 900) >= 15
    heights = page.eval_on_selector_all(
        "#queue tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert max(heights) <= 40, heights


def test_on_a_phone_the_first_issue_is_above_the_fold_and_nothing_scrolls_sideways(
    queue_of_30, new_page, screenshot
):
    page = new_page(width=390, height=844)
    log_in(page, queue_of_30, "alice")
    screenshot(page, "12-queue-phone")
    assert page.evaluate(OVERFLOWING) == []
    assert _rows_in_view(page, 844) >= 1


def test_the_bulk_panel_appears_only_while_issues_are_selected(queue_of_30, new_page, screenshot):
    page = new_page(width=1366, height=900)
    log_in(page, queue_of_30, "alice")
    panel = page.locator("#bulk-panel")
    expect(panel).to_be_hidden()
    rows = page.locator("#queue tbody tr")
    rows.nth(0).locator("input[type=checkbox]").check()
    rows.nth(1).locator("input[type=checkbox]").check()
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("2 selected")
    # The filter spans two pages: every issue it matches can be chosen at once.
    expect(panel.locator("#all-matching-label")).to_contain_text("issues matching this filter")
    screenshot(page, "13-queue-bulk-panel")
    # Only the fields of the chosen action.
    panel.get_by_label("Action").select_option("assign")
    expect(panel.get_by_label("Assignee")).to_be_visible()
    expect(panel.get_by_label("Resolution")).to_be_hidden()
    panel.get_by_label("Assignee").select_option("alice")
    panel.get_by_role("button", name="Apply to selected").click()
    expect(page.locator(".messages")).to_contain_text("2 assigned.")
    expect(panel).to_be_hidden()
    rows.nth(0).locator("input[type=checkbox]").check()
    rows.nth(0).locator("input[type=checkbox]").uncheck()
    expect(panel).to_be_hidden()
