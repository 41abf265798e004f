"""The queue's Due column sorts one way only, soonest deadline first: its heading never offers
a reverse order (`-sla_due_at` is no ordering; asked for, the queue is newest first)."""

import re

import pytest

from tests.web.support import report, staff_client

pytestmark = pytest.mark.django_db


def due_heading(client, query: str) -> str:
    html = client.get("/staff/" + query).content.decode()
    return re.search(r'<th scope="col" class="c-sla".*?</th>', html).group(0)


class When_staff_sort_the_queue_by_its_due_column:
    def given_a_queue(self):
        self.client = staff_client()
        report()

    def because_alice_looks_at_the_heading_unsorted_and_sorted_by_it(self):
        self.unsorted = due_heading(self.client, "")
        self.sorted = due_heading(self.client, "?sort=sla_due_at")

    def it_should_link_only_to_soonest_first(self):
        links = re.findall(r'href="([^"]*)"', self.unsorted + self.sorted)
        assert links == ["?sort=sla_due_at", "?sort=sla_due_at"]

    def it_should_say_it_is_sorted_soonest_first_without_a_reverse_arrow(self):
        assert 'aria-sort="ascending"' in self.sorted
        assert "↑" not in self.sorted and "↓" not in self.sorted
        assert 'title="Next SLA deadline first"' in self.sorted
