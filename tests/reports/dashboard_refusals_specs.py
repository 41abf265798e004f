"""A bad period on the dashboard says, in a sentence, which field is wrong as the page labels it
("From", "To"): on the page, and as the plain text of a table's CSV download (never a Python
dict); the API keeps its JSON shape for a 400."""

import pytest
from django.utils import timezone
from expects import contain, equal, expect

from tests.api.contexts import make_user, token_client
from tests.web.support import staff_client

pytestmark = pytest.mark.django_db

BAD_FROM = "From: Enter a date as YYYY-MM-DD."
INVERTED = "The period starts on 2026-05-02, after it ends on 2026-05-01."


def alert_of(html: str) -> str:
    return html.split('role="alert">', 1)[1].split("</div>", 1)[0]


class When_staff_open_the_dashboard_with_a_date_that_is_no_date:
    def because_they_open_it(self):
        self.response = staff_client("alice").get("/staff/dashboard/", {"from": "2026-13-01"})

    def it_should_answer_400(self):
        expect(self.response.status_code).to(equal(400))

    def it_should_name_the_field_as_the_form_labels_it(self):
        expect(alert_of(self.response.content.decode())).to(contain(f"<p>{BAD_FROM}</p>"))


class When_staff_open_the_dashboard_in_german_with_a_date_that_is_no_date:
    def given_alice_who_chose_german(self):
        self.client = staff_client("alice")
        self.client.post("/staff/settings/language/", {"language": "de"})

    def because_she_opens_it(self):
        self.html = self.client.get("/staff/dashboard/", {"to": "gestern"}).content.decode()

    def it_should_name_the_field_in_german(self):
        refusal = "<p>Bis: Geben Sie ein Datum als JJJJ-MM-TT ein.</p>"
        expect(alert_of(self.html)).to(contain(refusal))


class When_staff_download_a_table_with_a_date_that_is_no_date:
    def because_they_download_it(self):
        self.response = staff_client("alice").get(
            "/staff/dashboard/volume.csv", {"from": "2026-13-01"}
        )

    def it_should_answer_400_in_plain_text(self):
        expect((self.response.status_code, self.response["Content-Type"])).to(
            equal((400, "text/plain; charset=utf-8"))
        )

    def it_should_say_what_the_page_says(self):
        expect(self.response.content.decode()).to(equal(f"{BAD_FROM}\n"))


class When_a_program_asks_for_a_report_as_csv_with_a_date_that_is_no_date:
    def because_it_asks(self):
        client = token_client(make_user("bob"))
        self.responses = [
            client.get("/api/reports/volume/", {"from": "2026-13-01"}, HTTP_ACCEPT="text/csv"),
            client.get("/api/reports/volume/", {"from": "2026-13-01", "format": "csv"}),
        ]

    def it_should_answer_400_as_json_naming_the_parameter(self):
        expect([(r.status_code, r["Content-Type"], r.json()) for r in self.responses]).to(
            equal([(400, "application/json", {"from": ["Enter a date as YYYY-MM-DD."]})] * 2)
        )


class When_staff_ask_for_a_period_that_starts_after_it_ends:
    def because_they_ask_with_from_after_to_and_with_from_after_today(self):
        client = staff_client("alice")
        self.inverted = client.get("/staff/dashboard/", {"from": "2026-05-02", "to": "2026-05-01"})
        self.future = client.get("/staff/dashboard/", {"from": "2999-01-01"})
        self.api = token_client(make_user("bob")).get(
            "/api/reports/volume/", {"from": "2026-05-02", "to": "2026-05-01"}
        )

    def it_should_answer_400_naming_both_days(self):
        expect((self.inverted.status_code, alert_of(self.inverted.content.decode()))).to(
            equal(
                (
                    400,
                    f"<p>From: {INVERTED}</p><p>Showing the last 30 days instead.</p>",
                )
            )
        )

    def it_should_name_today_as_the_end_when_to_is_left_out(self):
        today = timezone.now().date().isoformat()
        expect(alert_of(self.future.content.decode())).to(
            contain(f"<p>From: The period starts on 2999-01-01, after it ends on {today}.</p>")
        )

    def it_should_give_the_api_the_same_words_under_from(self):
        expect((self.api.status_code, self.api.json())).to(
            equal(
                (400, {"from": ["The period starts on 2026-05-02, after it ends on 2026-05-01."]})
            )
        )
