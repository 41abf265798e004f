"""The parked-deliveries page under /staff/deliveries/ and the admin list."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from issues_adapters.eventing import deliveries
from issues_adapters.eventing.models import Delivery
from tests.events.support import a_day_at_the_helpdesk, all_positions, bus_without_delivery

PAGE = "/staff/deliveries/"


class BrokenMail:
    def send(self, notification):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def parked(db, settings):
    settings.HELPDESK_DELIVERY_MAX_ATTEMPTS = 1
    get_user_model().objects.create_user("bob", "bob@example.org", "x", is_staff=True)
    bus = bus_without_delivery()
    confirmation = bus.handler_named("mail.reporter.report_confirmation")
    working = confirmation.notifications
    confirmation.notifications = BrokenMail()
    a_day_at_the_helpdesk(bus)
    deliveries.deliver_positions(all_positions(), bus=bus)
    confirmation.notifications = working
    return Delivery.objects.get(status="parked")


def logged_in(client: Client, *, staff: bool) -> Client:
    user = get_user_model().objects.create_user(
        "staffer" if staff else "visitor", password="x", is_staff=staff
    )
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_logged_in_non_staff_are_refused(client):
    assert logged_in(client, staff=False).get(PAGE).status_code == 403
    assert client.post(f"{PAGE}1/retry/").status_code == 403


@pytest.mark.django_db
def test_staff_see_what_is_parked_and_why(client, parked):
    response = logged_in(client, staff=True).get(PAGE)
    assert response.status_code == 200
    assert b"mail.reporter.report_confirmation" in response.content
    assert b"ConnectionRefusedError: mail server down" in response.content
    assert f"{PAGE}{parked.id}/retry/".encode() in response.content


@pytest.mark.django_db
def test_retry_needs_a_post_with_the_csrf_token(parked):
    client = logged_in(Client(enforce_csrf_checks=True), staff=True)
    url = f"{PAGE}{parked.id}/retry/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    parked.refresh_from_db()
    assert parked.status == "parked"


@pytest.mark.django_db
def test_the_retry_button_delivers_it_once(parked):
    client = logged_in(Client(enforce_csrf_checks=True), staff=True)
    client.get(PAGE)
    token = client.cookies["csrftoken"].value
    url = f"{PAGE}{parked.id}/retry/"

    first = client.post(url, {"csrfmiddlewaretoken": token})
    client.post(url, {"csrfmiddlewaretoken": token})

    assert first.status_code == 302
    parked.refresh_from_db()
    assert parked.status == "done"
    assert len([m for m in mail.outbox if "We have received" in m.subject]) == 1


@pytest.mark.django_db
def test_the_admin_lists_parked_deliveries(client, parked):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    response = client.get("/admin/eventing/delivery/?status__exact=parked")
    assert response.status_code == 200
    assert b"mail.reporter.report_confirmation" in response.content
