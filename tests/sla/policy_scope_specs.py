"""One policy for a priority and category: the most specific matching policy applies, so a second
one for the same pair is refused, in the API (400 naming both fields) and in the admin. And the
calendar's refusals speak the reader's language."""

import pytest
from expects import contain, equal, expect

from issues_adapters.sla.models import SlaPolicyRecord
from tests.sla.policy_checks_specs import (
    A_CALENDAR,
    A_POLICY,
    ADD_POLICY,
    POLICIES,
    With_a_calendar,
    With_an_admin,
)

SAME_SCOPE = "Another policy has this priority and category already."


@pytest.mark.django_db
class When_an_admin_adds_a_second_policy_for_the_same_priority_and_category(With_an_admin):
    def given_a_policy_for_low_network_issues(self):
        self.first = self.client.post(POLICIES, A_POLICY, format="json")

    def because_the_admin_posts_another_for_them(self):
        self.response = self.client.post(POLICIES, A_POLICY | {"name": "Q"}, format="json")

    def it_should_keep_the_first(self):
        expect(self.first.status_code).to(equal(201))

    def it_should_answer_400_naming_priority_and_category(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"priority": [SAME_SCOPE], "category": [SAME_SCOPE]}))
        )

    def it_should_keep_no_second_policy(self):
        expect(SlaPolicyRecord.objects.filter(name="Q").exists()).to(equal(False))


@pytest.mark.django_db
class When_an_admin_adds_a_second_policy_for_any_priority_and_category(With_an_admin):
    def given_a_policy_for_every_issue(self):
        every = {"priority": None, "category": None}
        self.first = self.client.post(POLICIES, A_POLICY | every, format="json")
        self.every = every

    def because_the_admin_posts_another_for_every_issue(self):
        second = A_POLICY | self.every | {"name": "Q"}
        self.response = self.client.post(POLICIES, second, format="json")

    def it_should_answer_400_naming_priority_and_category(self):
        expect(self.first.status_code).to(equal(201))
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"priority": [SAME_SCOPE], "category": [SAME_SCOPE]}))
        )


@pytest.mark.django_db
class When_an_admin_adds_a_policy_for_another_category_of_the_same_priority(With_an_admin):
    def given_a_policy_for_low_network_issues(self):
        self.client.post(POLICIES, A_POLICY, format="json")

    def because_the_admin_posts_one_for_low_issues_of_any_category(self):
        second = A_POLICY | {"name": "Q", "category": None}
        self.response = self.client.post(POLICIES, second, format="json")

    def it_should_keep_it(self):
        expect(self.response.status_code).to(equal(201))


@pytest.mark.django_db
class When_an_admin_changes_a_policy_keeping_its_priority_and_category(With_an_admin):
    def given_a_policy_for_low_network_issues(self):
        self.policy_id = self.client.post(POLICIES, A_POLICY, format="json").json()["id"]

    def because_the_admin_changes_its_targets(self):
        changed = A_POLICY | {"first_response_minutes": 30}
        self.response = self.client.put(f"{POLICIES}{self.policy_id}/", changed, format="json")

    def it_should_keep_the_change(self):
        expect(self.response.status_code).to(equal(200))
        expect(SlaPolicyRecord.objects.get(id=self.policy_id).first_response_minutes).to(equal(30))


@pytest.mark.django_db
class When_an_admin_changes_a_policy_to_another_ones_priority_and_category(With_an_admin):
    def given_two_policies(self):
        self.client.post(POLICIES, A_POLICY, format="json")
        other = A_POLICY | {"name": "Q", "priority": "high"}
        self.other_id = self.client.post(POLICIES, other, format="json").json()["id"]

    def because_the_admin_gives_the_second_the_firsts_priority(self):
        changed = A_POLICY | {"name": "Q"}
        self.response = self.client.put(f"{POLICIES}{self.other_id}/", changed, format="json")

    def it_should_answer_400_naming_priority_and_category(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"priority": [SAME_SCOPE], "category": [SAME_SCOPE]}))
        )

    def it_should_leave_the_second_as_it_was(self):
        expect(SlaPolicyRecord.objects.get(id=self.other_id).priority).to(equal("high"))


@pytest.mark.django_db
class When_an_admin_adds_a_second_policy_for_the_same_pair_in_the_admin(With_a_calendar):
    def given_a_policy_for_low_network_issues(self):
        self.first = self.client.post(ADD_POLICY, self.policy_form())

    def because_the_admin_saves_another_for_them(self):
        self.response = self.client.post(ADD_POLICY, self.policy_form(name="Q"))

    def it_should_show_the_form_again_saying_why(self):
        expect(self.first.status_code).to(equal(302))
        expect(self.response.status_code).to(equal(200))
        expect(self.response.content.decode()).to(contain(SAME_SCOPE))

    def it_should_keep_no_second_policy(self):
        expect(SlaPolicyRecord.objects.filter(name="Q").exists()).to(equal(False))


@pytest.mark.django_db
class When_an_admin_changes_a_policy_in_the_admin_keeping_its_pair(With_a_calendar):
    def given_a_policy(self):
        self.client.post(ADD_POLICY, self.policy_form())
        self.policy = SlaPolicyRecord.objects.get(name="P")

    def because_the_admin_saves_it_with_other_targets(self):
        change = f"/admin/sla/slapolicyrecord/{self.policy.pk}/change/"
        self.response = self.client.post(change, self.policy_form(first_response_minutes="30"))

    def it_should_keep_the_change(self):
        expect(self.response.status_code).to(equal(302))
        expect(SlaPolicyRecord.objects.get(name="P").first_response_minutes).to(equal(30))


# -- the calendar's refusals in German ---------------------------------------------------------


@pytest.mark.django_db
class When_an_admin_reading_german_gives_a_calendar_in_an_unknown_time_zone(With_an_admin):
    def because_the_admin_posts_it(self):
        policy = A_POLICY | {"calendar": A_CALENDAR | {"time_zone": "Mars/Olympus"}}
        self.response = self.client.post(POLICIES, policy, format="json", HTTP_ACCEPT_LANGUAGE="de")

    def it_should_say_so_in_german(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"calendar": {"time_zone": ["Unbekannte Zeitzone: 'Mars/Olympus'."]}}))
        )


@pytest.mark.django_db
class When_an_admin_reading_german_adds_a_calendar_that_opens_after_it_closes_in_the_admin(
    With_an_admin
):
    def because_the_admin_saves_it(self):
        form = {
            "name": "Mondays",
            "time_zone": "UTC",
            "working_days": "[0]",
            "opens_at": "18:00",
            "closes_at": "08:00",
            "holidays": "[]",
            "holiday_country": "",
        }
        self.response = self.client.post(
            "/admin/sla/businesscalendarrecord/add/", form, HTTP_ACCEPT_LANGUAGE="de"
        )

    def it_should_say_so_in_german(self):
        expect(self.response.status_code).to(equal(200))
        expect(self.response.content.decode()).to(
            contain("Der Helpdesk muss öffnen, bevor er schließt.")
        )
