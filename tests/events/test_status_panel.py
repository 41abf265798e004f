"""The status panel: /staff/projections/ and /api/projections/, and starting a rebuild there."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from issues_adapters.eventing import relay
from issues_adapters.eventing.models import Rebuild
from issues_adapters.wiring import message_bus, read_models
from tests.api.contexts import make_user, session_client, token_client
from tests.events.support import a_day_at_the_helpdesk, all_positions, bus_without_delivery

PAGE = "/staff/projections/"
API = "/api/projections/"
NO_GRACE = timedelta(0)


class BrokenMail:
    def send(self, notification):
        raise ConnectionRefusedError("mail server down")


def admin():
    user = make_user("root")
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def helpdesk(db, settings):
    """Two days at the helpdesk recorded, the first delivered with the confirmation mail
    failing for good, the second not delivered at all."""
    settings.HELPDESK_DELIVERY_MAX_ATTEMPTS = 1
    make_user("alice"), make_user("bob")
    bus = bus_without_delivery()
    confirmation = bus.handler_named("mail.reporter.report_confirmation")
    working = confirmation.notifications
    confirmation.notifications = BrokenMail()
    a_day_at_the_helpdesk(bus)
    relay.sweep(bus, in_process=True, grace=NO_GRACE)
    confirmation.notifications = working
    a_day_at_the_helpdesk(bus, reporter="jane@example.org")
    return bus


def by_name(body) -> dict:
    return {handler["name"]: handler for handler in body["handlers"]}


@pytest.mark.django_db
def test_the_api_says_for_each_handler_how_far_it_is_and_what_is_stuck(helpdesk):
    body = token_client(make_user("carol")).get(API).json()
    handlers = by_name(body)
    positions = all_positions()

    assert body["head"] == positions[-1]
    confirmation = handlers["mail.reporter.report_confirmation"]
    assert confirmation["kind"] == "mail"
    assert confirmation["position"] == positions[4]  # the first day's five events
    assert confirmation["lag_events"] == positions[-1] - positions[4]
    assert confirmation["lag_seconds"] >= 0
    assert confirmation["parked"] == 1
    assert "mail server down" in confirmation["last_error"]
    counts = handlers["web.queue_counts"]
    assert (counts["kind"], counts["parked"], counts["last_error"]) == ("read model", 0, "")
    assert counts["rebuild"] is None


@pytest.mark.django_db
def test_the_panel_costs_the_same_few_queries_however_long_the_log(helpdesk):
    client = token_client(make_user("carol"))
    with CaptureQueriesContext(connection) as before:
        client.get(API)
    for number in range(5):
        a_day_at_the_helpdesk(helpdesk, reporter=f"more{number}@example.org")
    with CaptureQueriesContext(connection) as after:
        client.get(API)

    assert len(after) == len(before) <= 15


@pytest.mark.django_db
def test_the_page_shows_the_lag_and_only_admins_get_a_rebuild_button(helpdesk):
    staff = Client()
    staff.force_login(make_user("carol"))
    html = staff.get(PAGE).content.decode()

    assert "mail.reporter.report_confirmation" in html
    assert "5 events" in html
    assert "mail server down" in html
    assert "Rebuild</button>" not in html
    assert staff.post(f"{PAGE}web.queue_counts/rebuild/").status_code == 403

    boss = Client()
    boss.force_login(admin())
    html = boss.get(PAGE).content.decode()
    # read models only: the queue counts, the reports and the two SLA process managers
    assert html.count("Rebuild</button>") == len(read_models()) == 4


@pytest.mark.django_db
def test_the_panel_is_for_staff_only(helpdesk):
    assert Client().get(PAGE).status_code == 302  # to the login page
    assert token_client(make_user("visitor", staff=False)).get(API).status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get(API).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("nope", 404, "unknown_read_model"),
        ("mail.reporter.report_confirmation", 409, "handler_sends_mail"),
    ],
)
def test_a_rebuild_that_cannot_be_is_refused_in_json(helpdesk, name, status, code):
    response = token_client(admin()).post(f"{API}{name}/rebuild/")

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Rebuild.objects.exists()


@pytest.mark.django_db
def test_only_admins_may_start_a_rebuild_over_the_api(helpdesk):
    response = token_client(make_user("carol")).post(f"{API}web.queue_counts/rebuild/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db(transaction=True)
def test_an_admin_starts_a_rebuild_that_runs_in_the_background_and_shows_its_progress(settings):
    make_user("alice"), make_user("bob")
    a_day_at_the_helpdesk(message_bus())
    client = session_client(admin())

    started = client.post(f"{API}web.queue_counts/rebuild/")
    again = client.post(f"{API}web.queue_counts/rebuild/")
    deadline = time.monotonic() + 20
    while Rebuild.objects.get().status == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    panel = by_name(client.get(API).json())["web.queue_counts"]

    assert started.status_code == 202 and started.json()["status"] == "running"
    assert again.status_code in (409, 202)  # refused unless the first had already finished
    if again.status_code == 409:
        assert again.json()["code"] == "rebuild_already_running"
    assert panel["rebuild"]["status"] == "done"
    assert panel["rebuild"]["percent"] == 100
    assert panel["rebuild"]["events_done"] == 5


@pytest.mark.django_db
def test_the_delivery_link_is_in_the_staff_navigation(helpdesk):
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="alice"))
    assert 'href="/staff/projections/"' in staff.get("/staff/").content.decode()


@pytest.mark.django_db
def test_a_running_rebuild_shows_its_progress_and_offers_no_second_one(helpdesk):
    Rebuild.objects.create(handler="web.queue_counts", events_total=10, events_done=4)
    boss = Client()
    boss.force_login(admin())
    html = boss.get(PAGE).content.decode()

    assert '<progress max="100" value="40"' in html
    assert "4 of 10" in html
    assert html.count("Rebuild</button>") == len(read_models()) - 1  # only the others
    assert '<meta http-equiv="refresh"' in html  # the page follows the rebuild by itself
