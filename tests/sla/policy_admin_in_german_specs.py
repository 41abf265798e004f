"""The SLA policies' admin speaks German: priorities as the queue calls them ("Hoch", not
"High"), the calendar as "Kalender"."""

import pytest
from django.contrib.auth import get_user_model
from expects import contain, equal, expect

from tests.sla.policy_category_names_specs import With_a_policy_for_urgent_network_issues
from tests.web.support import staff_client

pytestmark = pytest.mark.django_db


class When_an_admin_opens_the_policies_admin_in_german(With_a_policy_for_urgent_network_issues):
    def given_an_admin_who_chose_german(self):
        get_user_model().objects.create_superuser("boss", "boss@example.org", "pw")
        self.client = staff_client("boss")
        self.client.post("/staff/settings/language/", {"language": "de"})

    def because_they_open_the_list_and_the_form(self):
        self.listed = self.client.get("/admin/sla/slapolicyrecord/").content.decode()
        self.form = self.client.get("/admin/sla/slapolicyrecord/add/").content.decode()

    def it_should_list_the_priority_in_german(self):
        expect(self.listed).to(contain('<td class="field-priority_shown">Dringend</td>'))

    def it_should_head_the_calendar_column_in_german(self):
        expect(self.listed).to(contain(">Kalender</a>"))

    def it_should_offer_the_priorities_in_german(self):
        options = [f'">{label}</option>' for label in ("Niedrig", "Normal", "Hoch", "Dringend")]
        expect([option in self.form for option in options]).to(equal([True] * 4))
        expect(self.form).not_to(contain(">Urgent</option>"))

    def it_should_label_the_calendar_field_in_german(self):
        expect(self.form).to(contain(">Kalender:</label>"))
