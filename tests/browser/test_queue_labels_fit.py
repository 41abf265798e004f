"""The queue's status, priority and SLA cells hold their words whole in English and in German
("Geschlossen", "Nicht gesetzt", "Bald überfällig", "Zusammengeführt"), on a phone and up to a
wide desktop, an SLA badge's title naming its goal and its whole state; a cell or heading cut
short (a long category, reporter or assignee, "Meldende Person") says it whole in its title; in
a real Chromium."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from expects import contain, equal, expect, match

from issues_adapters.accounts.models import LanguagePreference
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.display import GOAL_LABELS, QUEUE_STATE_LABELS, STATE_LABELS
from issues_adapters.web.labels import PRIORITY_LABELS, STATUS_LABELS
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.sla_clock import SlaState
from issues_domain.values import Actor
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

# The cells and headings a reader sees cut short whose title does not say them whole.
CUT_WITHOUT_TITLE = """() => [...document.querySelectorAll("#queue th, #queue td")]
    .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth)
    .map(el => ({text: el.innerText.replace(/[↑↓]/g, "").trim(), title: el.title}))
    .filter(cut => !cut.title.includes(cut.text))
    .map(cut => cut.text)"""

# The SLA badges a reader sees: their state, their title, and the full due time in their cell.
SLA_BADGES = """() => [...document.querySelectorAll("#queue td.c-sla [data-sla-state]")]
    .filter(badge => badge.offsetParent !== null)
    .map(badge => ({state: badge.dataset.slaState, title: badge.title,
        due: (badge.parentElement.querySelector("time") || {}).title || ""}))"""


MAXIMILIANE = "maximiliane.mustermann-schulze"


def labels_in(language: str) -> dict:
    """Each column's labels in the language, with the markup its cell gives them."""
    with translation.override(language):
        return {
            "c-status": [[f"badge status-{s}", str(label)] for s, label in STATUS_LABELS.items()],
            "c-priority": [
                *(["priority-urgent", str(label)] for label in PRIORITY_LABELS.values()),
                ["muted", gettext("Not set")],
            ],
            "c-sla": [[f"badge sla-{s}", str(label)] for s, label in QUEUE_STATE_LABELS.items()],
        }


@pytest.fixture
def everything_in(live_server):
    """Issues in every status, each priority and none, a duplicate merged before anybody
    answered, and long names: Maximiliane's issue about the network, and one assigned to her;
    read by alice in English and by jana, who chose German."""
    make_staff("alice")
    LanguagePreference.objects.create(user=make_staff("jana"), language="de")
    seed_policies()
    report(description="Shared mailbox rejects mail from the auditors.", priority="urgent")
    original = report(description="The scanner sends scans to the wrong folder.")
    for status in ("triaged", "assigned", "waiting", "resolved", "closed"):
        issue_in(status, description=f"{status}: the printer on the second floor jams.")
    duplicate = report(description="The printer on the second floor jams again.")
    make_staff(MAXIMILIANE)
    report(
        description="The VPN drops every hour.",
        category="network",
        reporter_name="Maximiliane Mustermann-Schulze",
        reporter_email=f"{MAXIMILIANE}@example.org",
    )
    issue_in("assigned", assignee=MAXIMILIANE, description="The scanner is out of toner.")
    message_bus().handle(
        commands.MergeIssue(issue_id=duplicate, into=str(original), actor=Actor.staff("alice"))
    )

    def log_in_as(page, language: str) -> None:
        log_in(page, live_server.url, {"en": "alice", "de": "jana"}[language])
        page.goto(f"{live_server.url}/staff/?view=all")

    return log_in_as


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [390, 800, 1024, 1280, 1400, 1600, 1920])
def test_every_status_priority_and_sla_label_fits_its_cell(
    everything_in, new_page, width, language
):
    page = new_page(width=width, height=900)
    everything_in(page, language)
    for column, labels in labels_in(language).items():
        expect(page.evaluate(LABELS_CUT, [column, labels]) or []).to(equal([]))


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [390, 800, 1280, 1400, 1920])
def test_no_status_priority_or_sla_cell_is_cut(
    everything_in, new_page, screenshot, width, language
):
    page = new_page(width=width, height=900)
    everything_in(page, language)
    screenshot(page, f"queue-labels-{language}-{width}")
    expect(page.evaluate(CELLS_CUT)).to(equal([]))


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [800, 1280, 1920])
def test_an_sla_badges_title_names_its_goal_its_whole_state_and_its_due_time(
    everything_in, new_page, width, language
):
    page = new_page(width=width, height=900)
    everything_in(page, language)
    badges = page.evaluate(SLA_BADGES)
    expect([badge["state"] for badge in badges]).to(contain("merged", "on_track"))
    with translation.override(language):
        goals = "|".join(re.escape(str(label)) for label in GOAL_LABELS.values())
        for badge in badges:
            state = re.escape(str(STATE_LABELS[SlaState(badge["state"])]))
            # "…, due Sunday, 6 Dec 2026, 3:26 p.m. UTC" ("…, fällig …") where it has one.
            due = rf", \w+ {re.escape(badge['due'])}" if badge["due"] else ""
            expect(badge["title"]).to(match(rf"^({goals}): {state}{due}$"))


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("width", [390, 800, 1024, 1280, 1300, 1400, 1599, 1920])
def test_a_cell_or_heading_cut_short_says_it_whole_in_its_title(
    everything_in, new_page, screenshot, width, language
):
    page = new_page(width=width, height=900)
    everything_in(page, language)
    screenshot(page, f"queue-long-names-{language}-{width}")
    expect(page.evaluate(CUT_WITHOUT_TITLE)).to(equal([]))
