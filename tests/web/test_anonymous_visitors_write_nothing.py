"""An anonymous report writes the issue and nothing else: no session row, even to confirm it."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from issues_adapters.accounts.housekeeping import Every, clear_expired_sessions
from issues_adapters.persistence.models import IssueRecord

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Fred Bloggs",
    "email": "fred@example.org",
    "subject": "Printer jams",
    "description": "The printer on the second floor jams.",
}


class When_a_visitor_reports_and_reads_the_confirmation:
    def given_a_browser(self):
        self.client = Client()

    def because_they_send_the_form_and_follow_the_redirect(self):
        self.page = self.client.post("/", FORM, follow=True).content.decode()
        self.issue = IssueRecord.objects.get()

    def it_should_confirm_with_the_reference_and_tracking_link(self):
        assert self.issue.reference in self.page
        assert f"/track/{self.issue.tracking_token}/" in self.page

    def it_should_write_no_session_row(self):
        assert Session.objects.count() == 0


def test_a_forged_confirmation_cookie_goes_back_to_the_form():
    client = Client()
    client.cookies["reported_issue"] = "0b7f3a2e-1111-4222-8333-944455556666"
    response = client.get("/reported/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_another_browser_cannot_see_the_confirmation():
    Client().post("/", FORM)
    response = Client().get("/reported/")
    assert response.status_code == 302


def test_expired_sessions_are_cleared_and_live_ones_kept():
    for expires in (timezone.now() - timedelta(days=2), timezone.now() + timedelta(days=1)):
        session = SessionStore()
        session["who"] = "alice"
        session.set_expiry(expires)
        session.save()
    assert clear_expired_sessions() == 1
    assert Session.objects.count() == 1


def test_the_relay_loop_clears_expired_sessions_once_an_hour():
    now = [0.0]
    every = Every(3600, clock=lambda: now[0])
    seen = []
    for now[0] in (0, 10, 3599, 3600, 3700, 7200):
        seen.append(every.due())
    assert seen == [True, False, False, True, False, True]


def test_celery_beat_clears_expired_sessions_hourly_through_a_registered_task():
    from issues_adapters.eventing.celery_app import app

    app.loader.import_default_modules()  # what a worker does at its start: the `include` list
    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"].startswith("housekeeping")]
    assert entry == {"task": "housekeeping.clear_expired_sessions", "schedule": 3600}
    session = SessionStore()
    session.set_expiry(timezone.now() - timedelta(days=2))
    session.save()
    assert app.tasks[entry["task"]]() == "1 expired sessions cleared"
    assert Session.objects.count() == 0
