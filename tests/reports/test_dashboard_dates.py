"""The dashboard's From and To as <input type="date"> accepts them: ISO dates, in every
language (a localised 07.11.2026 leaves the browser's field empty and the form unsendable).
A field left empty is its default (the last 30 days), as left out; the API, whose schema says a
date, refuses an empty one."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from expects import contain, equal, expect

from tests.api.contexts import make_user, token_client
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


class When_a_staff_member_sends_the_period_form_with_from_and_to_left_empty:
    def because_they_send_it(self):
        self.response = staff_client("alice").get(
            "/staff/dashboard/", {"from": "", "to": "", "group_by": "category"}
        )
        self.html = self.response.content.decode()
        self.csv = staff_client("alice").get("/staff/dashboard/volume.csv", {"from": "", "to": ""})
        self.api = token_client(make_user("bob")).get("/api/reports/volume/?from=&to=")

    def it_should_answer_without_a_refusal(self):
        expect((self.response.status_code, 'role="alert"' in self.html)).to(equal((200, False)))

    def it_should_show_the_last_30_days(self):
        today = timezone.now().date()
        expect(date_inputs(self.html)).to(
            equal({"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()})
        )

    def it_should_keep_the_grouping_chosen(self):
        expect(self.html).to(contain('<option value="category" selected>'))

    def it_should_download_the_last_30_days_too(self):
        today = timezone.now().date()
        name = f"volume_{today - timedelta(days=29)}_{today}_by-day.csv"
        expect((self.csv.status_code, self.csv["Content-Disposition"])).to(
            equal((200, f'attachment; filename="{name}"'))
        )

    def it_should_leave_the_api_as_its_schema_says_refusing_an_empty_date(self):
        expect((self.api.status_code, sorted(self.api.json()))).to(equal((400, ["from", "to"])))
