"""The queue by next SLA deadline, page by page both ways: the issues with a running clock
soonest first, then those without one newest first, each issue once (the clocks' index drives
the order; tests/web/test_queue_query_plans.py checks the plans)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.sla.models import SlaClock
from issues_service.queries import QueueFilters
from tests.web.support import issue_in, report

pytestmark = pytest.mark.django_db

SOON = datetime(2030, 1, 1, tzinfo=UTC)


def pages(filters: QueueFilters) -> tuple[list, list]:
    """Every page forwards, then every page back from the last, as lists of issue ids."""
    queries = DjangoIssueQueries()
    forwards, page = [], queries.queue(filters)
    forwards.append([issue.id for issue in page.issues])
    while page.next_cursor:
        page = queries.queue(QueueFilters(**{**filters.__dict__, "cursor": page.next_cursor}))
        forwards.append([issue.id for issue in page.issues])
    backwards = [[issue.id for issue in page.issues]]
    while page.previous_cursor:
        cursor = page.previous_cursor
        page = queries.queue(QueueFilters(**{**filters.__dict__, "cursor": cursor}))
        backwards.append([issue.id for issue in page.issues])
    return forwards, list(reversed(backwards))


def newest_first(issue_ids) -> list[str]:
    """The issues without a running clock, as the queue lists them: newest first, then by id."""
    rows = IssueRecord.objects.filter(id__in=list(issue_ids)).values_list("reported_at", "id")
    return [str(issue_id) for _at, issue_id in sorted(rows, reverse=True)]


class When_paging_the_queue_by_next_deadline:
    def given_issues_with_and_without_running_clocks(self):
        self.issues = [report(description=f"Problem {n}") for n in range(7)]
        SlaClock.objects.all().delete()
        # Two share a deadline (the id breaks the tie), one is paused, two have no clock.
        dues = [SOON + timedelta(hours=3), SOON, SOON + timedelta(hours=3), None, SOON]
        for issue_id, due in zip(self.issues, dues, strict=False):
            SlaClock.objects.create(issue_id=issue_id, due_at=due, paused=due is None)
        with_clock = sorted(
            (due, str(issue_id)) for issue_id, due in zip(self.issues, dues, strict=False) if due
        )
        without = newest_first(i for i in self.issues[3:] if i != self.issues[4])
        self.expected = [issue_id for _due, issue_id in with_clock] + without

    def because_the_queue_is_read_two_at_a_time(self):
        filters = QueueFilters(status="reported", ordering="sla_due_at", page_size=2)
        self.forwards, self.backwards = pages(filters)
        self.chosen = DjangoIssueQueries().matching(filters, 100)  # a bulk action's, in one

    def it_should_list_the_soonest_deadline_first_and_those_without_last(self):
        listed = [str(issue_id) for page in self.forwards for issue_id in page]
        assert listed == self.expected

    def it_should_choose_them_in_the_same_order_for_a_bulk_action(self):
        assert [str(issue.id) for issue in self.chosen] == self.expected

    def it_should_give_the_same_pages_coming_back(self):
        assert self.backwards == self.forwards


class When_paging_a_search_by_next_deadline:
    """A search's issues are few: their clocks are looked up rather than every running clock
    read in order (queries._by_deadline)."""

    def given_issues_holding_the_words_and_others(self):
        words = ["printer", "network", "printer", "printer", "network", "printer"]
        self.issues = [report(description=f"The {word} is down") for word in words]
        SlaClock.objects.all().delete()
        dues = [SOON + timedelta(hours=2), SOON, SOON + timedelta(hours=1), None, SOON, None]
        for issue_id, due in zip(self.issues, dues, strict=True):
            SlaClock.objects.create(issue_id=issue_id, due_at=due, paused=due is None)
        printer = [
            (d, str(i)) for i, d, w in zip(self.issues, dues, words, strict=True) if w == "printer"
        ]
        with_clock = sorted((due, issue_id) for due, issue_id in printer if due)
        self.expected = [issue_id for _due, issue_id in with_clock] + newest_first(
            issue_id for due, issue_id in printer if due is None
        )

    def because_the_search_is_read_two_at_a_time(self):
        filters = QueueFilters(q="printer", ordering="sla_due_at", page_size=2)
        self.forwards, self.backwards = pages(filters)

    def it_should_list_the_issues_found_soonest_deadline_first_and_those_without_last(self):
        listed = [str(issue_id) for page in self.forwards for issue_id in page]
        assert listed == self.expected

    def it_should_give_the_same_pages_coming_back(self):
        assert self.backwards == self.forwards


class When_paging_closed_issues_by_next_deadline:
    """Only an open issue's clocks run (issues_domain.sla_clock): the closed issues are listed
    as those without one, and no clock is read for them (queries._by_deadline)."""

    def given_closed_issues_and_an_open_one_with_a_clock(self):
        self.closed = [issue_in("closed") for _ in range(3)]
        self.open = report(description="Still open")
        SlaClock.objects.create(issue_id=self.open, due_at=SOON)

    def because_the_closed_ones_are_read_two_at_a_time(self):
        filters = QueueFilters(status="closed", ordering="sla_due_at", page_size=2)
        with CaptureQueriesContext(connection) as sent:
            self.forwards, self.backwards = pages(filters)
            self.sent = [query["sql"] for query in sent.captured_queries]

    def it_should_list_them_newest_first(self):
        listed = [str(issue_id) for page in self.forwards for issue_id in page]
        assert listed == newest_first(self.closed)

    def it_should_give_the_same_pages_coming_back(self):
        assert self.backwards == self.forwards

    def it_should_read_no_clock(self):
        assert not [sql for sql in self.sent if "sla_clock" in sql], self.sent
