"""/staff/settings/: "new issues of the categories I choose" with no category ticked would
silently mail nothing, so it is refused with an error on the categories."""

import pytest
from expects import contain, equal, expect

from issues_adapters.accounts.models import NotificationSettings
from tests.web.support import staff_client

pytestmark = pytest.mark.django_db

ERROR = "Tick at least one category, or choose another option for new issues."


def choose(client, **fields):
    data = {"new_issues": "none", "on_assignment": "on"} | fields
    return client.post("/staff/settings/", data)


class When_staff_choose_new_issues_of_categories_but_tick_none:
    def given_alice(self):
        self.client = staff_client("alice")

    def because_she_saves_the_settings(self):
        self.response = choose(self.client, new_issues="categories")

    def it_should_refuse_them(self):
        expect(self.response.status_code).to(equal(400))

    def it_should_say_so_on_the_categories(self):
        expect(self.response.content.decode()).to(contain(ERROR))

    def it_should_save_nothing(self):
        expect(NotificationSettings.objects.filter(new_issues="categories").exists()).to(
            equal(False)
        )


class When_staff_choose_new_issues_of_a_ticked_category:
    def given_alice(self):
        self.client = staff_client("alice")

    def because_she_saves_the_settings(self):
        self.response = choose(
            self.client, new_issues="categories", new_issue_categories="printing"
        )

    def it_should_save_them(self):
        expect(self.response.status_code).to(equal(302))
        saved = NotificationSettings.objects.get(user__username="alice")
        expect((saved.new_issues, saved.new_issue_categories)).to(
            equal(("categories", ["printing"]))
        )
