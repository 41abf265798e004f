"""The dashboard's tables and charts speak to people in their language: columns named by what
they count, groups by the names the queue shows ("Not set" where an issue has none),
durations in hours and minutes, shares as percentages, decimals with the language's mark. The
CSV download keeps the API's keys (docs/api.md)."""

import csv
import io
import re

import pytest
from django.utils import translation
from expects import contain, equal, expect

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.reports import formats, projection
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.web.support import issue_in, staff_client

pytestmark = pytest.mark.django_db

RAW_KEYS = ["median_seconds", "p90_seconds", "share_rated", "first_response_share_met"]


def table(html: str, name: str) -> str:
    return html.split(f'id="table-{name}"', 1)[1].split("</section>", 1)[0]


def headings(html: str, name: str) -> list[str]:
    head = table(html, name).split("<thead>", 1)[1].split("</thead>", 1)[0]
    return re.findall(r'<th scope="col">(.*?)</th>', head)


def legend(html: str, chart: str) -> list[str]:
    figure = html.split(f'id="chart-{chart}"', 1)[1].split("</figure>", 1)[0]
    return re.findall(r'<li><span class="swatch [^"]*" aria-hidden="true"></span>(.*?):', figure)


def title(html: str, chart: str) -> str:
    figure = html.split(f'id="chart-{chart}"', 1)[1].split("</figure>", 1)[0]
    return re.search(r"<figcaption><strong>(.*?)</strong>", figure).group(1)


class With_rated_issues_with_and_without_a_category:
    def given_issues_counted(self):
        self.client = staff_client("alice")
        issue_in("reported")  # no category, no priority
        issue_in("triaged")  # Printing, high
        for score in (4, 3):
            resolved = issue_in("resolved")  # Printing, high
            message_bus().handle(commands.RateSatisfaction(issue_id=resolved, score=score))
        projection.apply_all([to_event(row) for row in RecordedEvent.objects.order_by("position")])


class When_staff_read_the_tables_by_category(With_rated_issues_with_and_without_a_category):
    def because_they_open_the_dashboard(self):
        self.html = self.client.get("/staff/dashboard/", {"group_by": "category"}).content.decode()

    def it_should_name_the_columns(self):
        expect(
            [
                headings(self.html, "volume"),
                headings(self.html, "resolution"),
                headings(self.html, "satisfaction")[-2:],
                headings(self.html, "sla")[3],
            ]
        ).to(
            equal(
                [
                    ["Category", "Reported", "Resolved"],
                    ["Category", "Count", "Median time", "90th percentile"],
                    ["Resolved", "Rated"],
                    "First response met (share)",
                ]
            )
        )

    def it_should_show_no_key_of_the_api(self):
        expect([key for key in RAW_KEYS if key in self.html]).to(equal([]))

    def it_should_name_the_groups_as_the_queue_does(self):
        expect(table(self.html, "volume")).to(contain("<td>Not set</td><td>1</td>"))
        expect(table(self.html, "volume")).to(contain("<td>Printing</td><td>3</td>"))

    def it_should_write_shares_as_percentages_and_durations_in_units(self):
        expect(table(self.html, "satisfaction")).to(contain("<td>100 %</td></tr>"))
        expect(table(self.html, "resolution")).to(contain(" s</td>"))


class When_staff_read_the_dashboard_in_german(With_rated_issues_with_and_without_a_category):
    def given_alice_chose_german(self):
        self.client.post("/staff/settings/language/", {"language": "de"})

    def because_they_open_it_by_priority(self):
        self.html = self.client.get("/staff/dashboard/", {"group_by": "priority"}).content.decode()
        self.queue = self.html.split('id="queue-as-of"', 1)[1].split("</section>", 1)[0]

    def it_should_name_the_columns_in_german(self):
        expect(headings(self.html, "first-response")).to(
            equal(["Priorität", "Anzahl", "Median der Dauer", "90. Perzentil"])
        )

    def it_should_name_the_priorities_and_an_unset_one_in_german(self):
        expect(table(self.html, "volume")).to(contain("<td>Nicht gesetzt</td>"))
        expect(table(self.html, "volume")).to(contain("<td>Hoch</td>"))

    def it_should_call_a_group_not_set_so_in_the_queue_section_too(self):
        expect(self.queue).to(contain('<th scope="row">Nicht gesetzt</th>'))
        expect(self.queue).to(contain('<th scope="row">Drucken</th>'))

    def it_should_write_the_charts_figures_the_german_way(self):
        expect(self.html).to(contain("Durchschnittliche Bewertung: 3,5<"))
        expect(self.html).to(contain("Median: 0 s<"))


class When_staff_read_the_volume_chart(With_rated_issues_with_and_without_a_category):
    def because_they_open_the_dashboard(self):
        self.html = self.client.get("/staff/dashboard/", {"group_by": "category"}).content.decode()

    def it_should_call_its_lines_as_the_table_calls_its_columns(self):
        expect(legend(self.html, "volume")).to(equal(["Reported", "Resolved"]))
        expect(legend(self.html, "volume")).to(equal(headings(self.html, "volume")[1:]))

    def it_should_say_reported_in_its_title(self):
        expect(title(self.html, "volume")).to(equal("Reported and resolved"))


class When_staff_read_the_volume_chart_in_german(With_rated_issues_with_and_without_a_category):
    def given_alice_chose_german(self):
        self.client.post("/staff/settings/language/", {"language": "de"})

    def because_they_open_the_dashboard(self):
        self.html = self.client.get("/staff/dashboard/", {"group_by": "category"}).content.decode()

    def it_should_call_its_lines_as_the_table_calls_its_columns(self):
        expect(legend(self.html, "volume")).to(equal(["Gemeldet", "Gelöst"]))
        expect(legend(self.html, "volume")).to(equal(headings(self.html, "volume")[1:]))


class When_staff_download_a_table_of_the_dashboard(With_rated_issues_with_and_without_a_category):
    def because_they_download_it(self):
        response = self.client.get("/staff/dashboard/resolution.csv", {"group_by": "priority"})
        self.rows = list(csv.reader(io.StringIO(response.content.decode())))

    def it_should_keep_the_api_s_keys(self):
        expect((self.rows[0], self.rows[1][0])).to(
            equal((["group", "count", "median_seconds", "p90_seconds"], "high"))
        )


class When_durations_are_written_for_people:
    def because_some_are_written_in_english_and_german(self):
        seconds = [44.6, 720, 3570, 7200, 12_000, 187_200, 86_400 * 3]
        with translation.override("en"):
            self.english = [formats.duration(s) for s in seconds]
        with translation.override("de"):
            self.german = formats.duration(12_000), formats.duration(187_200)

    def it_should_use_the_two_largest_units_that_matter(self):
        expect(self.english).to(
            equal(["45 s", "12 min", "1 h", "2 h", "3 h 20 min", "2 d 4 h", "3 d"])
        )

    def it_should_name_the_units_in_german(self):
        expect(self.german).to(equal(("3 Std. 20 Min.", "2 Tg. 4 Std.")))
