"""The subject on every path: the form requires it, the API derives it, inbound mail takes the
mail's Subject, old events and old rows get one, and the queue, pages, mail and search show it."""

import importlib
import uuid
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import IssueRecord, RecordedEvent
from issues_domain.events import IssueReported
from tests.events.test_inbound_mail import a_maildir, a_message
from tests.web.support import report, staff_client, token

pytestmark = pytest.mark.django_db

FORM = {"name": "Fred", "email": "fred@example.org", "description": "It jams.\nAlways."}


def test_the_report_form_requires_a_subject():
    response = Client().post("/", FORM)

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not IssueRecord.objects.exists()


def test_the_report_form_keeps_the_subject_apart_from_the_description():
    Client().post("/", FORM | {"subject": "Printer jams"})

    issue = IssueRecord.objects.get()
    assert (issue.subject, issue.description) == ("Printer jams", "It jams.\nAlways.")


def test_a_subject_on_two_lines_is_refused_by_the_form():
    response = Client().post("/", FORM | {"subject": "Printer\njams"})

    assert response.status_code == 400
    assert not IssueRecord.objects.exists()


def test_an_api_report_without_a_subject_takes_the_descriptions_first_line():
    response = APIClient().post(
        "/api/issues/",
        {"reporter_name": "Fred", "reporter_email": "fred@example.org", "description": "A" * 150},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["subject"] == "A" * 120


def test_an_api_report_keeps_its_subject_and_refuses_a_long_one():
    good = APIClient().post(
        "/api/issues/",
        {
            "reporter_name": "F",
            "reporter_email": "f@example.org",
            "description": "x",
            "subject": "VPN",
        },
        format="json",
    )
    long = APIClient().post(
        "/api/issues/",
        {
            "reporter_name": "F",
            "reporter_email": "f@example.org",
            "description": "x",
            "subject": "V" * 201,
        },
        format="json",
    )

    assert good.json()["subject"] == "VPN"
    assert long.status_code == 400 and "subject" in long.json()


def test_inbound_mail_takes_the_subject_without_reply_prefixes(tmp_path):
    call_command(
        "fetch_mail", a_maildir(tmp_path, a_message(subject="Fwd: AW: Coffee machine leaks"))
    )

    issue = IssueRecord.objects.get()
    assert (issue.subject, issue.description) == (
        "Coffee machine leaks",
        "There is water everywhere.",
    )


def test_the_queue_the_issue_page_and_the_tracking_page_show_the_subject():
    issue_id = report(subject="Printer <b>jams</b>", description="Long story.\nVery long.")
    staff = staff_client()

    queue = staff.get("/staff/").content.decode()
    page = staff.get(f"/staff/issues/{issue_id}/").content.decode()
    tracking = Client().get(f"/track/{token(issue_id)}/").content.decode()

    for html in (queue, page, tracking):
        assert "Printer &lt;b&gt;jams&lt;/b&gt;" in html


def test_the_queue_search_finds_the_subject():
    wanted = report(subject="Toner smudges", description="Grey stripes.")
    report(subject="VPN drops", description="Every hour.")

    found = APIClient()
    found.force_authenticate(staff_client_user())
    results = found.get("/api/issues/", {"q": "smudge"}).json()["results"]

    assert [row["id"] for row in results] == [str(wanted)]


def staff_client_user():
    from django.contrib.auth import get_user_model

    from tests.web.support import make_user

    return get_user_model().objects.filter(username="alice").first() or make_user("alice")


def test_mail_to_the_reporter_names_the_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(subject="Printer & scanner jam")

    (sent,) = mail.outbox
    assert "Printer & scanner jam" in sent.subject
    assert sent.subject.startswith("[HD-")


def test_an_issue_reported_of_schema_1_reads_with_a_subject_from_its_description():
    old = RecordedEvent.objects.create(
        event_id=uuid.uuid4(),
        event_type="IssueReported",
        issue_id=uuid.uuid4(),
        issue_version=1,
        actor_role="reporter",
        actor_name="Fred",
        data={
            "reference": "HD-1001",
            "reporter_name": "Fred",
            "reporter_email": "fred@example.org",
            "description": "Screen goes black\nwhen I dock.",
            "category": None,
            "priority": None,
            "actor_email": "fred@example.org",
        },
        occurred_at=datetime(2026, 1, 2, tzinfo=UTC),
        schema_version=1,
    )

    event = to_event(old)

    assert isinstance(event, IssueReported)
    assert event.subject == "Screen goes black"


def test_the_migration_gives_existing_issues_a_subject_from_their_description():
    issue_id = report(description="\n  Monitor   flickers \nsince Monday.")
    IssueRecord.objects.filter(id=issue_id).update(subject="")
    migration = importlib.import_module("issues_adapters.persistence.migrations.0009_issue_subject")

    migration.give_subjects(apps, None)

    assert IssueRecord.objects.get(id=issue_id).subject == "Monitor flickers"
