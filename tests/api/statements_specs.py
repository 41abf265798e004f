"""What a request costs in SQL: commands answer with what they saved, reads take one statement.

A command's answer is the issue as the command wrote it (the unit of work hands it over), not
read back afterwards, and it is exactly what a GET of the issue gives. Transaction control
(BEGIN, COMMIT, savepoints) is left out of the counts: it differs between databases.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from issues_adapters.persistence.repository import active_category_slugs
from tests.api.contexts import (
    A_REPORT,
    ISSUES,
    With_a_reported_issue,
    With_staff,
    anonymous,
    issue_url,
)

pytestmark = pytest.mark.django_db

_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", re.IGNORECASE)


def statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not _CONTROL.match(q["sql"])]


def tables(sqls: list[str]) -> list[str]:
    found = []
    for sql in sqls:
        match = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', sql)
        found.append(f"{sql.split()[0].upper()} {match.group(1) if match else '?'}")
    return found


class When_somebody_reports_an_issue(With_staff):
    def because_fred_reports_one(self):
        active_category_slugs.forget()
        with CaptureQueriesContext(connection) as queries:
            self.response = anonymous().post(ISSUES, A_REPORT, format="json")
        self.sql = tables(statements(queries))
        with CaptureQueriesContext(connection) as queries:
            anonymous().post(ISSUES, A_REPORT, format="json")
        self.sql_next = tables(statements(queries))
        self.read = self.client.get(issue_url(self.response.json()["id"]))

    def it_should_answer_201(self):
        assert self.response.status_code == 201

    def it_should_take_a_number_check_the_category_insert_the_issue_and_its_event(self):
        # The SLA policies are read to target the new issue's clocks, and the answer carries
        # the clocks (`sla`) as they stand.
        assert self.sql == [
            "INSERT issues_issuenumber",
            "SELECT issues_category",
            "SELECT sla_policy",
            "INSERT issues_issue",
            "SELECT sla_clock",
            "INSERT issues_recorded_event",
        ]

    def it_should_know_the_categories_for_the_next_report_without_asking_again(self):
        assert self.sql_next == [
            "INSERT issues_issuenumber",
            "SELECT sla_policy",
            "INSERT issues_issue",
            "SELECT sla_clock",
            "INSERT issues_recorded_event",
        ]

    def it_should_answer_exactly_what_reading_the_issue_gives(self):
        assert self.response.json() == self.read.json()
        assert self.response["ETag"] == self.read["ETag"] == '"1"'


class When_staff_comment_on_an_issue(With_a_reported_issue):
    def because_alice_comments(self):
        self.client.get(issue_url(self.issue_id))  # the token's user, cached by nobody
        with CaptureQueriesContext(connection) as queries:
            self.response = self.client.post(
                issue_url(self.issue_id, "comments"), {"body": "On my way."}, format="json"
            )
        self.sql = tables(statements(queries))
        self.read = self.client.get(issue_url(self.issue_id))

    def it_should_answer_201(self):
        assert self.response.status_code == 201

    def it_should_read_the_issue_once_to_change_it_and_never_again_to_answer(self):
        assert self.sql.count("SELECT issues_issue") == 1
        assert self.sql.count("SELECT issues_comment") == 1
        assert self.sql.index("SELECT issues_issue") < self.sql.index("UPDATE issues_issue")

    def it_should_answer_exactly_what_reading_the_issue_gives(self):
        assert self.response.json() == self.read.json()
        assert len(self.read.json()["comments"]) == 1
        assert self.response["ETag"] == self.read["ETag"] == '"2"'


class When_staff_read_an_issue_with_comments(With_a_reported_issue):
    def given_two_comments(self):
        for body in ("First.", "Second."):
            self.client.post(issue_url(self.issue_id, "comments"), {"body": body}, format="json")

    def because_alice_reads_it(self):
        with CaptureQueriesContext(connection) as queries:
            self.response = self.client.get(issue_url(self.issue_id))
        self.sql = tables(statements(queries))

    def it_should_read_the_issue_with_its_comments_then_its_files_watchers_and_sla_clocks(
        self,
    ):
        assert self.sql == [
            "SELECT authtoken_token",
            "SELECT issues_issue",
            "SELECT issues_attachment",
            "SELECT issues_watcher",
            "SELECT sla_clock",
        ]

    def it_should_give_the_comments_in_order(self):
        assert [c["body"] for c in self.response.json()["comments"]] == ["First.", "Second."]
