"""The queue's status, priority and SLA cells hold their words whole in English and in German
("Geschlossen", "Nicht gesetzt", "Bald überfällig"), on a phone and up to a wide desktop, in a
real Chromium."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from expects import equal, expect

from issues_adapters.accounts.models import LanguagePreference
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.display import STATE_LABELS
from issues_adapters.web.labels import PRIORITY_LABELS, STATUS_LABELS
from issues_domain.sla_clock import SlaState
from tests.browser.support import log_in, make_staff
from tests.web.support import issue_in, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Which of the labels are cut when each in turn fills the first shown cell of the column, with
# the markup web/queue_rows.py gives it; null when the column is not shown.
LABELS_CUT = """([column, labels]) => {
    const cell = [...document.querySelectorAll(`#queue td.${column}`)]
        .find(td => td.offsetParent !== null);
    if (!cell) return null;
    const kept = cell.innerHTML, cut = [];
    for (const [markup, label] of labels) {
        cell.innerHTML = `<span class="${markup}"></span>`;
        cell.firstChild.textContent = label;
        if (cell.scrollWidth > cell.clientWidth) cut.push(label);
    }
    cell.innerHTML = kept;
    return cut;
}"""

CELLS_CUT = """() => [...document.querySelectorAll(
        "#queue td.c-status, #queue td.c-priority, #queue td.c-sla")]
    .filter(td => td.offsetParent !== null && td.scrollWidth > td.clientWidth)
    .map(td => td.innerText.trim())"""


def labels_in(language: str) -> dict:
    """Each column's labels in the language, with the markup its cell gives them."""
    with translation.override(language):
        return {
            "c-status": [[f"badge status-{s}", str(label)] for s, label in STATUS_LABELS.items()],
            "c-priority": [
                *(["priority-urgent", str(label)] for label in PRIORITY_LABELS.values()),
                ["muted", gettext("Not set")],
            ],
            # Not "Not applicable (merged)": a merged issue's badge is cut, its goal in its title.
            "c-sla": [
                [f"badge sla-{state}", str(label)]
                for state, label in STATE_LABELS.items()
                if state != SlaState.MERGED
            ],
        }


@pytest.fixture
def everything_in(live_server):
    """Issues in every status, each priority and none; read by alice in English and by jana,
    who chose German."""
    make_staff("alice")
    LanguagePreference.objects.create(user=make_staff("jana"), language="de")
    seed_policies()
    report(description="Shared mailbox rejects mail from the auditors.", priority="urgent")
    report(description="The scanner sends scans to the wrong folder.")
    for status in ("triaged", "assigned", "waiting", "resolved", "closed"):
        issue_in(status, description=f"{status}: the printer on the second floor jams.")

    def log_in_as(page, language: str) -> None:
        log_in(page, live_server.url, {"en": "alice", "de": "jana"}[language])
        page.goto(f"{live_server.url}/staff/?view=all")

    return log_in_as


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [390, 800, 1024, 1280, 1600])
def test_every_status_priority_and_sla_label_fits_its_cell(
    everything_in, new_page, width, language
):
    page = new_page(width=width, height=900)
    everything_in(page, language)
    for column, labels in labels_in(language).items():
        expect(page.evaluate(LABELS_CUT, [column, labels]) or []).to(equal([]))


@pytest.mark.parametrize("width", [390, 800, 1280])
def test_in_german_no_status_priority_or_sla_cell_is_cut(
    everything_in, new_page, screenshot, width
):
    page = new_page(width=width, height=900)
    everything_in(page, "de")
    screenshot(page, f"queue-german-labels-{width}")
    expect(page.evaluate(CELLS_CUT)).to(equal([]))
