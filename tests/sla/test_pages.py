"""Where people see the clocks: the queue (badge, due time, "Breaching soon" and "Overdue"
with live counts, sorted by next deadline), the issue page, the API's issue JSON and
/staff/sla/ - with time moved by time-machine and the timers acting as relay_events does."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from issues_adapters.sla import timers
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from tests.api.contexts import token_client
from tests.events.support import ALICE
from tests.sla.test_timers import deliver, helpdesk, recorded, report_urgent  # noqa: F401


def staff_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="alice"))
    return client


def page(client, url) -> str:
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.django_db
def test_a_staff_member_sees_an_issue_go_on_track_breaching_soon_breached(helpdesk, deliver):  # noqa: F811
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    deliver(
        lambda: bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE))
    )
    start = recorded(events.IssueReported)[0].occurred_at
    issue_page = f"/staff/issues/{issue_id}/"
    alice = staff_client()
    mail.outbox.clear()

    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert 'data-sla-state="on_track"' in page(alice, "/staff/")
        assert "On track" in page(alice, issue_page)
        assert 'data-count="sla:breaching_soon">0<' in page(alice, "/staff/")
        assert str(issue_id) not in page(alice, "/staff/?view=breaching_soon")

    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        deliver(lambda: timers.tick(bus))
        queue = page(alice, "/staff/")
        assert 'data-sla-state="breaching_soon"' in queue
        assert 'data-count="sla:breaching_soon">1<' in queue
        assert str(issue_id) in page(alice, "/staff/?view=breaching_soon")
        assert str(issue_id) not in page(alice, "/staff/?view=overdue")
        assert "Breaching soon" in page(alice, issue_page)

    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        deliver(lambda: timers.tick(bus))
        deliver(lambda: timers.tick(bus))  # a second worker, or a restart: nothing more
        queue = page(alice, "/staff/")
        assert 'data-sla-state="breached"' in queue
        assert 'data-count="sla:overdue">1<' in queue
        assert str(issue_id) in page(alice, "/staff/?view=overdue")
        assert 'id="sla"' in page(alice, issue_page)
        assert "Breached" in page(alice, issue_page)
        api = token_client(get_user_model().objects.get(username="alice"))
        sla = api.get(f"/api/issues/{issue_id}/").json()["sla"]
        assert sla["policy"] == "Urgent"
        assert sla["first_response"]["state"] == "breached"
        assert sla["resolution"]["state"] == "on_track"

    assert [message.to for message in mail.outbox] == [["bob@example.org"], ["bob@example.org"]]


@pytest.mark.django_db
def test_the_queue_sorts_by_the_next_deadline(helpdesk, deliver):  # noqa: F811
    bus = message_bus()
    later = deliver(lambda: report_urgent(bus, priority="low"))  # 16 business hours
    sooner = deliver(lambda: report_urgent(bus))  # 30 minutes
    html = page(staff_client(), "/staff/?sort=sla_due_at")
    assert html.index(str(sooner)) < html.index(str(later))
    api = token_client(get_user_model().objects.get(username="alice"))
    listed = api.get("/api/issues/?ordering=sla_due_at").json()["results"]
    assert [issue["id"] for issue in listed][:2] == [str(sooner), str(later)]


@pytest.mark.django_db
def test_staff_see_the_policies_and_only_admins_get_links_to_change_them(helpdesk):  # noqa: F811
    html = page(staff_client(), "/staff/sla/")
    assert "Urgent" in html and "round the clock" in html
    assert "/admin/sla/slapolicyrecord/" not in html
    boss = Client()
    boss.force_login(
        get_user_model().objects.create_superuser("boss", password="x", email="b@x.org")
    )
    assert "/admin/sla/slapolicyrecord/" in page(boss, "/staff/sla/")
    assert Client().get("/staff/sla/").status_code == 302
