"""The queue with SLA clocks in Chromium: a state on every row, still one line an issue and
nothing wider than its box at 1366 px, and the Overdue view's count in the side bar."""

import pytest

from issues_adapters.sla.defaults import seed_policies
from tests.browser.support import log_in, make_staff
from tests.browser.test_queue_layout import LONG, OVERFLOWING
from tests.web.support import report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue_with_clocks(live_server):
    make_staff("alice")
    seed_policies()
    for n in range(20):
        report(
            reporter_name="Frederick Bloggs-Montgomery",
            reporter_email=f"frederick{n}@example.org",
            description=f"{n}: {LONG}",
            priority="urgent" if n % 2 else "low",
            category="printing",
        )
    return live_server.url


@pytest.mark.parametrize("width", [1366, 1600])
def test_each_row_shows_its_sla_state_on_one_line(queue_with_clocks, new_page, screenshot, width):
    page = new_page(width=width, height=900)
    log_in(page, queue_with_clocks, "alice")
    screenshot(page, f"14-queue-sla-{width}")
    assert page.evaluate(OVERFLOWING) == []
    states = page.eval_on_selector_all(
        "#queue [data-sla-state]", "badges => badges.map(b => b.dataset.slaState)"
    )
    assert len(states) == 20 and set(states) == {"on_track"}
    heights = page.eval_on_selector_all(
        "#queue tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert max(heights) <= 40, heights
    assert page.locator('[data-count="sla:overdue"]').inner_text() == "0"
