"""/staff/sla/ names a policy's category as the queue does (by name, in the reader's language),
not by its slug."""

import pytest
from expects import contain, expect

from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord
from tests.web.support import staff_client

pytestmark = pytest.mark.django_db


class With_a_policy_for_urgent_network_issues:
    def given_the_policy(self):
        calendar = BusinessCalendarRecord.objects.create(
            name="Mondays", time_zone="UTC", working_days=[0]
        )
        SlaPolicyRecord.objects.create(
            name="Network emergencies",
            priority="urgent",
            category="network",
            first_response_minutes=30,
            resolution_minutes=240,
            calendar=calendar,
        )


class When_staff_read_the_sla_policies(With_a_policy_for_urgent_network_issues):
    def because_they_open_them_in_english_and_german(self):
        client = staff_client("alice")
        self.english = client.get("/staff/sla/").content.decode()
        client.post("/staff/settings/language/", {"language": "de"})
        self.german = client.get("/staff/sla/").content.decode()

    def it_should_name_the_category(self):
        expect(self.english).to(contain("<td>Network and connectivity</td>"))

    def it_should_name_it_in_german(self):
        expect(self.german).to(contain("<td>Netzwerk und Verbindung</td>"))
