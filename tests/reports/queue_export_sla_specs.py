"""/staff/export.csv says what the queue shows of each issue: its subject, and its SLA badge's
state and due time (the Overdue view exported without them listed only references and text)."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import TestCase
from expects import equal, expect

from issues_adapters.sla import timers
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.web.views import export
from issues_adapters.wiring import message_bus
from tests.events.support import make_staff
from tests.sla.test_timers import report_urgent
from tests.web.support import report, staff_client

# The clocks take an issue's events after its commit; a spec's transaction is rolled back.
delivered = TestCase.captureOnCommitCallbacks

# "Urgent": round the clock; "Standard" (no priority): office hours, 09:00-17:00 UTC.
REPORTED = datetime(2026, 12, 6, 13, 0, tzinfo=UTC)
LATER = REPORTED + timedelta(minutes=31)  # 30 minutes to a first response


@pytest.mark.django_db
class When_staff_export_the_overdue_view:
    def given_an_urgent_issue_whose_first_response_is_overdue_and_one_on_track(self):
        make_staff("alice")
        seed_policies()
        bus = message_bus()
        with time_machine.travel(REPORTED, tick=False), delivered(execute=True):
            report_urgent(bus, subject="=Server room flooding")
            report(subject="Printer jams")
        for _ in range(2):  # the warning, then the breach
            with time_machine.travel(LATER, tick=False), delivered(execute=True):
                timers.tick(bus)

    def because_they_export_it_and_the_open_issues(self):
        client = staff_client("alice")
        with time_machine.travel(LATER, tick=False):
            self.overdue = self.rows(client.get("/staff/export.csv", {"view": "overdue"}))
            self.open = self.rows(client.get("/staff/export.csv"))

    @staticmethod
    def rows(response) -> list[dict]:
        content = b"".join(response.streaming_content).decode()
        header, *rows = list(csv.reader(io.StringIO(content)))
        assert header == export.COLUMNS
        return [dict(zip(header, row, strict=True)) for row in rows]

    def it_should_give_the_subject_as_text_and_the_sla_state_and_due_time(self):
        expect([(row["subject"], row["sla_state"], row["sla_due_at"]) for row in self.overdue]).to(
            equal([("'=Server room flooding", "breached", "2026-12-06T13:30:00+00:00")])
        )

    def it_should_give_every_issue_of_another_view_its_badge(self):
        expect(
            sorted((row["subject"], row["sla_state"], row["sla_due_at"]) for row in self.open)
        ).to(
            equal(
                [
                    ("'=Server room flooding", "breached", "2026-12-06T13:30:00+00:00"),
                    ("Printer jams", "on_track", "2026-12-07T17:00:00+00:00"),  # office hours
                ]
            )
        )
