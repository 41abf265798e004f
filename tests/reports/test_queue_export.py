"""/staff/export.csv: the queue's current filter as streamed CSV, every page of it."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from issues_adapters.web.views import export
from tests.web.support import issue_in, make_user, report, staff_client


@pytest.fixture
def queue(db, monkeypatch):
    monkeypatch.setattr(export, "PAGE", 2)  # several keyset pages for a handful of issues
    make_user("alice")
    make_user("bob")
    for _ in range(3):
        issue_in("assigned", assignee="bob")
    issue_in("resolved")
    report(description='=HYPERLINK("http://evil")')
    return staff_client("alice")


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_streams_every_issue_of_the_filter_across_pages(queue):
    response = queue.get("/staff/export.csv", {"assignee": "bob"})
    assert response.streaming
    found = rows(response)
    assert found[0] == export.COLUMNS
    assert len(found) == 1 + 3 and {row[found[0].index("assignee")] for row in found[1:]} == {"bob"}
    today = timezone.now().date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="issues_open_assignee-bob_{today}.csv"'
    )


def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(queue):
    found = rows(queue.get("/staff/export.csv"))
    assert len(found) == 1 + 4  # the open view: the resolved one is left out
    assert '\'=HYPERLINK("http://evil")' in [row[-1] for row in found]


def test_the_queue_links_to_the_export_of_its_filter(queue):
    html = queue.get("/staff/", {"view": "resolved"}).content.decode()
    assert 'href="/staff/export.csv?view=resolved"' in html


def test_only_staff_export(db):
    assert Client().get("/staff/export.csv").status_code == 302
