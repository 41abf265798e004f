"""Every id on the issue page names one element: each side-panel form and the composer carry
the version they were rendered with, and none of those hidden fields shares another's id."""

import collections
import re

import pytest
from expects import be_empty, expect

from tests.web.support import issue_in, staff_client

pytestmark = pytest.mark.django_db


def repeated_ids(html: str) -> dict[str, int]:
    counts = collections.Counter(re.findall(r'\sid="([^"]+)"', html))
    return {name: count for name, count in counts.items() if count > 1}


class When_staff_open_an_issue_with_every_side_panel_form:
    def given_a_reported_issue(self):
        # Reported: pick, assign, triage, the composer and the watcher form are all offered.
        self.issue_id = issue_in("reported")

    def because_alice_opens_it(self):
        self.html = staff_client().get(f"/staff/issues/{self.issue_id}/").content.decode()

    def it_should_give_no_two_elements_the_same_id(self):
        expect(repeated_ids(self.html)).to(be_empty)


class When_staff_open_a_resolved_issue:
    def because_alice_opens_it(self):
        self.html = staff_client().get(f"/staff/issues/{issue_in('resolved')}/").content.decode()

    def it_should_give_no_two_elements_the_same_id(self):
        expect(repeated_ids(self.html)).to(be_empty)
