"""GET /api/reports/{name}/ reads `from` and `to` as YYYY-MM-DD only: 20261206 (which Python's
fromisoformat reads as a date) and "+2026-12-06" (a space once the query string is decoded)
are a 400 naming the parameter."""

import pytest
from expects import equal, expect

from tests.api.contexts import make_user, token_client

REFUSED = ["Enter a date as YYYY-MM-DD."]


@pytest.mark.django_db
class When_staff_ask_for_a_report_with_dates_in_other_forms:
    def because_they_ask(self):
        staff = token_client(make_user("alice"))
        self.responses = [
            staff.get("/api/reports/volume/?from=20261206"),
            staff.get("/api/reports/volume/?to=+2026-12-06"),
            staff.get("/api/reports/volume/?from=2026-W49-1"),
        ]

    def it_should_answer_400_naming_each_parameter(self):
        expect([(r.status_code, r.json()) for r in self.responses]).to(
            equal([(400, {"from": REFUSED}), (400, {"to": REFUSED}), (400, {"from": REFUSED})])
        )


@pytest.mark.django_db
class When_staff_ask_for_a_report_with_yyyy_mm_dd_dates:
    def because_they_ask(self):
        staff = token_client(make_user("alice"))
        self.response = staff.get("/api/reports/volume/?from=2026-12-01&to=2026-12-06")

    def it_should_answer_for_those_days(self):
        expect(self.response.status_code).to(equal(200))
        expect((self.response.json()["from"], self.response.json()["to"])).to(
            equal(("2026-12-01", "2026-12-06"))
        )
