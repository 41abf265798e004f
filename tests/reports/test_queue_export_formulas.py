"""/staff/export.csv writes no cell a spreadsheet would run as a formula: not the reporter's
name, nor an assignee's username or a category's slug that starts like one."""

import csv
import io

import pytest

from issues_adapters.persistence.models import Category
from issues_adapters.web.views import export
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import make_user, report, staff_client

NAME = '=HYPERLINK("http://evil.example","x")'


class When_staff_export_an_issue_whose_every_text_starts_like_a_formula:
    pytestmark = pytest.mark.django_db

    def given_such_an_issue(self):
        make_user("alice")
        make_user("-mallory")
        Category.objects.create(slug="-floor", name="Floor")
        issue_id = report(
            reporter_name=NAME,
            reporter_email="fred@example.org",
            description="@SUM(1+1)*cmd|' /C calc'!A0",
        )
        bus = message_bus()
        alice = Actor.staff("alice")
        bus.handle(
            commands.TriageIssue(issue_id=issue_id, category="-floor", priority="high", actor=alice)
        )
        bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="-mallory", actor=alice))

    def because_they_export_the_queue(self):
        response = staff_client("alice").get("/staff/export.csv")
        content = b"".join(response.streaming_content).decode()
        header, self.row = list(csv.reader(io.StringIO(content)))
        self.cell = dict(zip(header, self.row, strict=True))

    def it_should_write_the_reporter_name_as_text(self):
        assert self.cell["reporter_name"] == "'" + NAME

    def it_should_write_the_assignee_as_text(self):
        assert self.cell["assignee"] == "'-mallory"

    def it_should_write_the_category_as_text(self):
        assert self.cell["category"] == "'-floor"

    def it_should_write_the_description_as_text(self):
        assert self.cell["description"] == "'@SUM(1+1)*cmd|' /C calc'!A0"

    def it_should_leave_no_cell_a_spreadsheet_would_run(self):
        assert [cell for cell in self.row if cell[:1] in "=+-@\t\r" and cell] == []
        assert len(self.row) == len(export.COLUMNS)
