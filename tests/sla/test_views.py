"""The queue's "Breaching soon" and "Overdue" views page through the issues whose deadlines
the timers flagged, newest first, oldest first or by next deadline, forwards and back, read
from the clocks; their "all matching" count and the side bar's kept count agree with them."""

import dataclasses
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.sla import display, timers
from issues_adapters.sla.models import SlaClock
from issues_adapters.web import counts
from issues_adapters.web.views.staff import filters_from
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain import commands
from issues_service.queries import QueueFilters
from issues_service.time_travel import as_it_was
from tests.events.support import ALICE
from tests.sla.test_timers import deliver, helpdesk, report_urgent, reported_at  # noqa: F401
from tests.support.search import cut_short
from tests.web.support import staff_client
from tests.web.test_bulk import triage_all_matching


def every_page(filters: QueueFilters) -> tuple[list, list]:
    """The ids of every page going forwards, then of every page going back from the last."""
    queries = DjangoIssueQueries()
    forwards, page = [], queries.queue(filters)
    pages = [page]
    while True:
        forwards.extend(issue.id for issue in page.issues)
        if not page.next_cursor:
            break
        page = queries.queue(dataclasses.replace(filters, cursor=page.next_cursor))
        pages.append(page)
    backwards = [issue.id for issue in page.issues]
    while page.previous_cursor:
        page = queries.queue(dataclasses.replace(filters, cursor=page.previous_cursor))
        backwards = [issue.id for issue in page.issues] + backwards
    return forwards, backwards


@pytest.fixture
def flagged(helpdesk, deliver):  # noqa: F811
    """Three urgent issues breached (one of them printing), and two reported an hour later
    warned of: their first responses' deadlines, as the timers flag them."""
    bus = message_bus()

    def report(n):
        return deliver(lambda: report_urgent(bus, reporter_email=f"person{n}@example.org"))

    issues = [report(n) for n in range(3)]
    start = reported_at(issues[0])
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        issues += [report(n) for n in range(3, 5)]
    deliver(
        lambda: bus.handle(
            commands.TriageIssue(
                issue_id=issues[1], category="printing", priority="urgent", actor=ALICE
            )
        )
    )
    for _ in range(2):  # the warnings, then the breaches, of the first three
        deliver(lambda: timers.tick(bus, now=start + timedelta(minutes=31)))
    deliver(lambda: timers.tick(bus, now=start + timedelta(minutes=85)))  # the later two's
    return issues


def by_report(issue_ids) -> list:
    return sorted(issue_ids, key=lambda issue_id: (reported_at_of(issue_id), issue_id))


def reported_at_of(issue_id):
    return SlaClock.objects.get(issue_id=issue_id).reported_at


@pytest.mark.django_db
def test_a_view_pages_the_same_forwards_and_back_in_every_order_read_from_the_clocks(flagged):
    late, soon = flagged[:3], flagged[3:]
    overdue = QueueFilters(sla="overdue", page_size=2)
    newest_first = list(reversed(by_report(late)))

    assert every_page(overdue) == (newest_first, newest_first)
    oldest = dataclasses.replace(overdue, ordering="reported_at")
    assert every_page(oldest) == (newest_first[::-1], newest_first[::-1])
    deadlines = sorted(
        late, key=lambda issue_id: (SlaClock.objects.get(issue_id=issue_id).due_at, issue_id)
    )
    by_deadline = dataclasses.replace(overdue, ordering="sla_due_at")
    assert every_page(by_deadline) == (deadlines, deadlines)
    # Another order reads the issues in theirs, and finds the same ones.
    assert sorted(every_page(dataclasses.replace(overdue, ordering="-updated_at"))[0]) == sorted(
        late
    )
    breaching = QueueFilters(sla="breaching_soon", page_size=1)
    assert every_page(breaching) == (list(reversed(by_report(soon))),) * 2

    # As the queue asks (every open status): the same, from the clocks alone.
    web, _chosen = filters_from(QueryDict("view=overdue"), "alice")
    assert web.status and every_page(dataclasses.replace(web, page_size=2))[0] == newest_first
    waiting = dataclasses.replace(overdue, status="waiting")
    assert every_page(waiting) == ([], [])

    printing = dataclasses.replace(overdue, category="printing")
    assert every_page(printing) == ([flagged[1]], [flagged[1]])
    # A search among them: its few issues read from the words index, or (SQLite, more than
    # BROAD_SEARCH) each clock's issue tested as the clocks are read.
    person = dataclasses.replace(overdue, q="person2")
    assert every_page(person) == ([flagged[2]], [flagged[2]])
    with cut_short(broad_search=0):
        assert every_page(person) == ([flagged[2]], [flagged[2]])
    queries = DjangoIssueQueries()
    assert queries.count_matching(overdue, 501) == 3 == display.view_counts()["overdue"]
    assert queries.count_matching(overdue, 2) == 2
    assert queries.count_matching(breaching, 501) == 2 == display.view_counts()["breaching_soon"]
    # Narrowed by another filter, not counted: that would test up to every clock in the view.
    assert queries.count_matching(printing, 501) is None
    as_the_queue_asks, _chosen = filters_from(QueryDict("view=overdue"), "alice")
    assert queries.count_matching(as_the_queue_asks, 501) == 3


@pytest.mark.django_db
def test_an_sla_view_narrowed_by_a_filter_offers_its_issues_to_a_bulk_action_uncounted(
    helpdesk,  # noqa: F811
    deliver,  # noqa: F811
):
    """More than a page overdue in printing: the box takes every one of them, without saying
    how many (counting them tested each clock in the view); the view alone is counted."""
    bus = message_bus()
    printing = [deliver(lambda: report_urgent(bus, category="printing")) for _ in range(26)]
    elsewhere = deliver(lambda: report_urgent(bus, category="network"))
    start = reported_at(printing[0])
    for _ in range(2):  # the warnings, then the breaches
        deliver(lambda: timers.tick(bus, now=start + timedelta(minutes=31)))
    assert display.view_counts()["overdue"] == 27
    client = staff_client()

    with CaptureQueriesContext(connection) as captured:
        html = client.get("/staff/?view=overdue&category=printing").content.decode()
    assert "All issues matching this filter, on every page (the first 500 at most)" in html
    clocks_read = [q["sql"] for q in captured if 'FROM "sla_clock"' in q["sql"]]
    assert not [sql for sql in clocks_read if "COUNT(" in sql], clocks_read
    html = client.get("/staff/?view=overdue").content.decode()
    assert "All 27 issues matching this filter, on every page" in html

    response = triage_all_matching(client, "view=overdue&category=printing")
    assert "26 triaged." in response.content.decode()
    assert set(IssueRecord.objects.filter(id__in=printing).values_list("category", flat=True)) == {
        "hardware"
    }
    assert IssueRecord.objects.get(id=elsewhere).category_id == "network"


@pytest.mark.django_db
def test_a_flag_leaves_when_the_issue_was_last_changed_now_and_as_it_was(helpdesk, deliver):  # noqa: F811
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    before = IssueRecord.objects.get(id=issue_id)

    deliver(lambda: timers.tick(bus, now=reported_at(issue_id) + timedelta(minutes=31)))

    after = IssueRecord.objects.get(id=issue_id)
    assert (after.version, after.updated_at) == (before.version + 1, before.updated_at)
    assert after.sla_flags == ["first_response:warning:1800"]
    past = as_it_was(issue_id, issue_queries().history(issue_id), timezone.now())
    assert (past.version, past.updated_at) == (after.version, after.updated_at)


@pytest.mark.django_db
def test_a_new_target_takes_an_issue_out_of_its_view_until_the_timers_flag_the_new_deadline(
    helpdesk,  # noqa: F811
    deliver,  # noqa: F811
):
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    # Warned of (80 % of 30 minutes), not breached: a breach flagged stands whatever the
    # new target (tests/sla/breach_stands_after_triage_specs.py).
    late = reported_at(issue_id) + timedelta(minutes=25)
    deliver(lambda: timers.tick(bus, now=late))
    assert display.view_counts() == {"breaching_soon": 1, "overdue": 0}
    assert counts.sidebar("alice")["sla"] == {"breaching_soon": 1, "overdue": 0}  # the side bar's

    deliver(
        lambda: bus.handle(
            commands.TriageIssue(
                issue_id=issue_id, category="printing", priority="high", actor=ALICE
            )
        )
    )
    # "High": two hours to a first response, in office hours: a deadline not flagged yet.
    assert SlaClock.objects.get(issue_id=issue_id).view is None
    assert display.view_counts() == {"breaching_soon": 0, "overdue": 0}
    assert counts.sidebar("alice")["sla"] == {"breaching_soon": 0, "overdue": 0}
    assert every_page(QueueFilters(sla="breaching_soon")) == ([], [])

    due = SlaClock.objects.get(issue_id=issue_id).first_response_due
    for _ in range(2):
        deliver(lambda: timers.tick(bus, now=due))
    assert display.view_counts() == {"breaching_soon": 0, "overdue": 1}
    assert every_page(QueueFilters(sla="overdue")) == ([issue_id], [issue_id])
