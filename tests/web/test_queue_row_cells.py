"""A queue row's subject, date and SLA cells (web/queue_rows.py): the subject before at most
three tags, the rest counted and named in a title; a date as its date and a 24-hour time, the
full form with the weekday and time zone in its title, in the reader's language; an SLA badge
short enough for its column, its title naming the goal, the whole state and the due time; the
category, reporter and assignee whole in their titles, as each column's heading."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import TestCase
from expects import be_below, contain, equal, expect, have_len

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.sla.test_timers import report_urgent
from tests.web.support import issue_in, report, staff_client

pytestmark = pytest.mark.django_db

GERMAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}
TWENTY_TAGS = tuple(f"tag-{n:02}" for n in range(20))
AFTERNOON = datetime(2024, 12, 6, 14, 3, tzinfo=UTC)  # a Friday
# A Sunday; "urgent": 30 minutes to a first response, round the clock (due at 13:31).
URGENT_REPORTED = datetime(2026, 12, 6, 13, 1, 18, tzinfo=UTC)

delivered = TestCase.captureOnCommitCallbacks


def row_html(html: str, issue_id) -> str:
    return re.search(rf'<tr data-issue="{issue_id}".*?</tr>', html, re.S).group(0)


def cell(row: str, column: str) -> str:
    return re.search(rf'<td class="{column}".*?</td>', row, re.S).group(0)


class With_an_issue_reported_on_a_friday_afternoon:
    headers = {}

    def given_an_issue_reported_and_updated_at_2_03_pm(self):
        self.issue_id = report(description="The printer on the second floor jams.")
        IssueRecord.objects.filter(id=self.issue_id).update(
            reported_at=AFTERNOON, updated_at=AFTERNOON
        )

    def because_staff_open_the_queue(self):
        html = staff_client().get("/staff/?view=everything", **self.headers).content.decode()
        self.row = row_html(html, self.issue_id)


class When_the_queue_shows_a_date(With_an_issue_reported_on_a_friday_afternoon):
    def it_should_show_the_date_and_a_24_hour_time(self):
        for column in ("c-reported", "c-updated"):
            expect(cell(self.row, column)).to(
                contain('>06/12/2024<span class="time"> 14:03</span></time>')
            )

    def it_should_say_it_in_full_in_the_title(self):
        expect(cell(self.row, "c-updated")).to(contain('title="Friday, 6 Dec 2024, 2:03 p.m. UTC"'))

    def it_should_give_the_machine_readable_time(self):
        expect(cell(self.row, "c-updated")).to(contain('datetime="2024-12-06T14:03:00+00:00"'))


class When_the_queue_shows_a_date_in_german(With_an_issue_reported_on_a_friday_afternoon):
    headers = GERMAN_BROWSER

    def it_should_show_the_german_date_and_time(self):
        expect(cell(self.row, "c-updated")).to(
            contain('>06.12.2024<span class="time"> 14:03</span></time>')
        )

    def it_should_say_it_in_full_in_german_in_the_title(self):
        expect(cell(self.row, "c-updated")).to(
            contain('title="Freitag, 6. Dezember 2024 14:03 UTC"')
        )


class When_an_issue_has_twenty_tags:
    def given_an_issue_with_twenty_tags(self):
        self.issue_id = report(description="Calendar invites arrive an hour late.")
        message_bus().handle(
            commands.TagIssue(issue_id=self.issue_id, actor=Actor.staff("alice"), add=TWENTY_TAGS)
        )

    def because_staff_open_the_queue(self):
        html = staff_client().get("/staff/").content.decode()
        self.subject = cell(row_html(html, self.issue_id), "c-subject")

    def it_should_show_the_subject_before_the_tags(self):
        expect(self.subject).to(
            contain('<span class="subject">Calendar invites arrive an hour late.</span>')
        )
        expect(self.subject.index('class="subject"')).to(
            be_below(self.subject.index('class="tag"'))
        )

    def it_should_link_the_first_three_tags(self):
        expect(re.findall(r'<a class="tag" href="([^"]+)">([^<]+)</a>', self.subject)).to(
            equal([(f"?view=open&amp;tag={tag}", tag) for tag in TWENTY_TAGS[:3]])
        )

    def it_should_count_the_other_seventeen(self):
        expect(self.subject).to(contain('<span class="more-tags">+17</span>'))

    def it_should_name_every_tag_in_the_title(self):
        titles = re.findall(r'<span class="row-tags" title="([^"]+)">', self.subject)
        expect(titles).to(have_len(1))
        expect(titles[0]).to(equal(", ".join(TWENTY_TAGS)))


class When_an_issue_has_no_tags(With_an_issue_reported_on_a_friday_afternoon):
    def it_should_show_the_subject_alone(self):
        expect(cell(self.row, "c-subject")).to(
            contain(
                '<div class="subject-line"><span class="subject">'
                "The printer on the second floor jams.</span></div>"
            )
        )


class With_an_urgent_issue_and_a_duplicate_merged_before_anybody_answered:
    headers = {}

    def given_an_urgent_issue_and_a_duplicate_merged_into_it(self):
        staff_client()
        seed_policies()
        bus = message_bus()
        with time_machine.travel(URGENT_REPORTED, tick=False), delivered(execute=True):
            self.urgent = report_urgent(bus)
            self.duplicate = report_urgent(bus, reporter_email="gina@example.org")
            bus.handle(
                commands.MergeIssue(
                    issue_id=self.duplicate, into=str(self.urgent), actor=Actor.staff("alice")
                )
            )

    def because_staff_open_the_queue(self):
        with time_machine.travel(URGENT_REPORTED + timedelta(minutes=5), tick=False):
            html = staff_client().get("/staff/?view=all", **self.headers).content.decode()
        self.merged = cell(row_html(html, self.duplicate), "c-sla")
        self.on_track = cell(row_html(html, self.urgent), "c-sla")


class When_the_queue_shows_sla_badges(
    With_an_urgent_issue_and_a_duplicate_merged_before_anybody_answered
):
    def it_should_say_merged_in_a_word_that_fits_the_column(self):
        expect(self.merged).to(contain('data-sla-state="merged"'))
        expect(self.merged).to(contain(">Merged</span>"))

    def it_should_name_the_goal_and_the_whole_state_in_the_merged_badges_title(self):
        expect(self.merged).to(contain('title="First response: Not applicable (merged)"'))

    def it_should_name_the_goal_the_state_and_the_due_time_in_a_running_badges_title(self):
        expect(self.on_track).to(
            contain(
                'title="First response: On track, due Sunday, 6 Dec 2026, 1:31 p.m. UTC">'
                "On track</span>"
            )
        )


class When_the_queue_shows_sla_badges_in_german(
    With_an_urgent_issue_and_a_duplicate_merged_before_anybody_answered
):
    headers = GERMAN_BROWSER

    def it_should_say_merged_in_a_german_word_that_fits_the_column(self):
        expect(self.merged).to(contain(">Zusammengeführt</span>"))

    def it_should_name_the_goal_and_the_whole_state_in_german_in_the_title(self):
        expect(self.merged).to(contain('title="Erste Antwort: Entfällt (zusammengeführt)"'))

    def it_should_name_the_goal_the_state_and_the_due_time_in_german_in_the_title(self):
        expect(self.on_track).to(
            contain(
                'title="Erste Antwort: Im Plan, fällig Sonntag, 6. Dezember 2026 13:31 UTC">'
                "Im Plan</span>"
            )
        )


class With_an_assigned_issue_in_a_long_named_category:
    headers = {}

    def given_an_issue_of_maximiliane_about_the_network_assigned_to_a_long_name(self):
        self.issue_id = issue_in(
            "assigned",
            assignee="maximiliane.mustermann-schulze",
            reporter_name="Maximiliane Mustermann-Schulze",
            reporter_email="maximiliane.mustermann-schulze@example.org",
        )
        IssueRecord.objects.filter(id=self.issue_id).update(category="network")

    def because_staff_open_the_queue(self):
        html = staff_client().get("/staff/?view=all", **self.headers).content.decode()
        self.row = row_html(html, self.issue_id)
        self.headings = re.search(r"<thead>.*?</thead>", html, re.S).group(0)


class When_the_queue_shows_names_a_column_may_cut_short(
    With_an_assigned_issue_in_a_long_named_category
):
    def it_should_name_the_category_whole_in_its_title(self):
        expect(cell(self.row, "c-category")).to(
            contain('title="Network and connectivity">Network and connectivity</td>')
        )

    def it_should_name_the_reporter_and_their_address_in_the_title(self):
        expect(cell(self.row, "c-reporter")).to(
            contain(
                'title="Maximiliane Mustermann-Schulze '
                '&lt;maximiliane.mustermann-schulze@example.org&gt;">'
                "Maximiliane Mustermann-Schulze</td>"
            )
        )

    def it_should_name_the_assignee_whole_in_the_title(self):
        expect(cell(self.row, "c-assignee")).to(
            contain('title="maximiliane.mustermann-schulze">maximiliane.mustermann-schulze</td>')
        )

    def it_should_name_each_heading_in_its_title(self):
        for column, heading in (("c-reporter", "Reporter"), ("c-category", "Category")):
            expect(self.headings).to(
                contain(f'<th scope="col" class="{column}" title="{heading}">')
            )


class When_the_queue_shows_names_a_column_may_cut_short_in_german(
    With_an_assigned_issue_in_a_long_named_category
):
    headers = GERMAN_BROWSER

    def it_should_name_the_category_whole_in_german_in_its_title(self):
        expect(cell(self.row, "c-category")).to(
            contain('title="Netzwerk und Verbindung">Netzwerk und Verbindung</td>')
        )

    def it_should_name_the_headings_in_german_in_their_titles(self):
        expect(self.headings).to(
            contain('<th scope="col" class="c-reporter" title="Meldende Person">')
        )
        expect(self.headings).to(contain('<th scope="col" class="c-assignee" title="Zuständig">'))
