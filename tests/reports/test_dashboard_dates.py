"""The dashboard's From and To as <input type="date"> accepts them: ISO dates, in every
language (a localised 07.11.2026 leaves the browser's field empty and the form unsendable)."""

import re

import pytest
from django.utils import timezone
from expects import contain, equal, expect

from tests.web.support import staff_client

pytestmark = pytest.mark.django_db


def date_inputs(html: str) -> dict:
    return dict(re.findall(r'<input type="date" name="(from|to)" value="([^"]*)"', html))


class When_a_staff_member_opens_the_dashboard_in_english:
    def because_they_open_it(self):
        client = staff_client("alice")
        period = {"from": "2026-11-07", "to": "2026-11-28"}
        self.html = client.get("/staff/dashboard/", period).content.decode()

    def it_should_give_from_and_to_as_iso_dates(self):
        found = date_inputs(self.html)
        expect(found).to(equal({"from": "2026-11-07", "to": "2026-11-28"}))


class When_a_staff_member_opens_the_dashboard_in_german:
    def given_alice_who_chose_german(self):
        self.client = staff_client("alice")
        self.client.post("/staff/settings/language/", {"language": "de"})

    def because_they_open_it_without_a_period(self):
        self.html = self.client.get("/staff/dashboard/").content.decode()

    def it_should_be_german(self):
        expect(self.html).to(contain("Tabellen nach"))

    def it_should_give_to_as_todays_iso_date(self):
        today = timezone.localdate().isoformat()
        expect(date_inputs(self.html)["to"]).to(equal(today))
