"""GET /api/issues/?category=none: the issues nobody has given a category yet."""

import pytest
from expects import equal, expect

from tests.api.contexts import ISSUES, With_staff, report_an_issue


@pytest.mark.django_db
class When_staff_ask_for_the_issues_without_a_category(With_staff):
    def given_one_issue_with_a_category_and_one_without(self):
        self.without = report_an_issue(category=None)
        self.printing = report_an_issue(category="printing")

    def because_alice_filters_by_category_none(self):
        self.response = self.client.get(ISSUES, {"category": "none"})

    def it_should_give_only_the_one_without(self):
        expect([i["id"] for i in self.response.json()["results"]]).to(equal([str(self.without)]))
