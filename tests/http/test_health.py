"""`/health/`: database, broker and relay lag, as JSON, 503 when the process cannot do its work.

Runs in both passes of `make test` (SQLite, then PostgreSQL); the database failure is a real
one: the connection is pointed at a closed port (PostgreSQL) or a file that cannot be opened.
"""

import json
import socket
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from issues_adapters.eventing import relay
from issues_adapters.persistence.models import RecordedEvent
from tests.events.support import a_day_at_the_helpdesk, bus_without_delivery, make_staff
from tests.support.services import require

SECRET = "s3cret-broker-password"


def get_health():
    response = Client().get("/health/")
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def a_day_recorded_minutes_ago(minutes: int) -> None:
    """The helpdesk's day recorded and nothing delivered, as if no relay ran since."""
    make_staff("alice", "bob")
    a_day_at_the_helpdesk(bus_without_delivery())
    recorded_minutes_ago(minutes)


def recorded_minutes_ago(minutes: int) -> None:
    RecordedEvent.objects.update(recorded_at=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.django_db
def test_delivered_events_with_the_relay_running_are_healthy():
    a_day_recorded_minutes_ago(10)
    relay.sweep(bus_without_delivery(), in_process=True, grace=timedelta(0))

    response, body = get_health()

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["relay"]["ok"] is True
    assert body["checks"]["relay"]["lagging"] == []
    assert "broker" not in body["checks"]  # no CELERY_BROKER_URL in the tests


@pytest.mark.django_db
def test_events_older_than_the_limit_that_nobody_relayed_are_unhealthy():
    a_day_recorded_minutes_ago(10)

    with override_settings(HELPDESK_HEALTH_MAX_LAG_SECONDS=300):
        response, body = get_health()

    assert response.status_code == 503
    assert body["status"] == "unhealthy"
    assert body["checks"]["relay"]["ok"] is False
    assert body["checks"]["relay"]["max_lag_seconds"] == 300
    assert "report_confirmation" in " ".join(body["checks"]["relay"]["lagging"])
    handler = body["checks"]["relay"]["handlers"][body["checks"]["relay"]["lagging"][0]]
    assert handler["lag_seconds"] >= 600


@pytest.mark.django_db
def test_the_limit_is_a_setting():
    a_day_recorded_minutes_ago(10)

    with override_settings(HELPDESK_HEALTH_MAX_LAG_SECONDS=3600):
        response, body = get_health()

    assert (response.status_code, body["status"]) == (200, "ok")


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_is_unhealthy_and_says_no_more(tmp_path):
    kept = connection.settings_dict
    broken = dict(kept)
    if connection.vendor == "postgresql":
        broken |= {"HOST": "127.0.0.1", "PORT": closed_port(), "PASSWORD": SECRET}
    else:
        broken["NAME"] = str(tmp_path / "no-such-folder" / "helpdesk.sqlite3")
    connection.close()
    connection.settings_dict = broken
    try:
        response, body = get_health()
    finally:
        connection.close()
        connection.settings_dict = kept

    assert response.status_code == 503
    assert body == {
        "status": "unhealthy",
        "checks": {"database": {"ok": False, "error": "unreachable"}},
    }
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_an_unreachable_broker_is_reported_without_its_address():
    port = closed_port()
    url = f"redis://:{SECRET}@127.0.0.1:{port}/0"
    with override_settings(CELERY_BROKER_URL=url):
        response, body = get_health()

    assert body["checks"]["broker"] == {"ok": False, "error": "unreachable"}
    assert response.status_code == 200  # reports are still recorded; the lag check follows
    assert SECRET not in response.content.decode()
    assert f":{port}" not in response.content.decode()


@pytest.mark.django_db
def test_a_reachable_broker_is_ok():
    require("redis")
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        response, body = get_health()

    assert (response.status_code, body["checks"]["broker"]) == (200, {"ok": True})


@pytest.mark.django_db
def test_it_needs_no_login_and_is_never_cached():
    response, _ = get_health()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
