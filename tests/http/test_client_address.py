"""Whose address a request counts as: the socket's, unless trusted proxies are configured."""

import os
import subprocess
import sys
import uuid

import pytest
from django.test import RequestFactory, override_settings

from issues_adapters.http.client_address import client_address
from issues_adapters.persistence.models import IssueRecord
from tests.api.contexts import A_REPORT, ISSUES, TOKEN, anonymous, rates

PROXY = "10.0.0.2"


def address_of(remote: str, forwarded_for: str | None = None, *, trusted=()) -> str:
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    with override_settings(HELPDESK_TRUSTED_PROXIES=trusted):
        return client_address(request)


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert address_of("192.0.2.9", "203.0.113.7") == "192.0.2.9"


def test_with_one_trusted_proxy_the_address_it_saw_is_the_clients():
    assert address_of(PROXY, "made-up, 198.51.100.1, 203.0.113.7", trusted=1) == "203.0.113.7"


def test_with_two_trusted_proxies_the_outer_ones_address_is_the_clients():
    chain = "198.51.100.1, 203.0.113.7, 10.0.0.9"
    assert address_of(PROXY, chain, trusted=2) == "203.0.113.7"


def test_a_chain_shorter_than_the_proxies_gives_its_left_most_address():
    assert address_of(PROXY, "203.0.113.7", trusted=3) == "203.0.113.7"
    assert address_of(PROXY, None, trusted=1) == PROXY


def test_with_trusted_networks_the_right_most_untrusted_address_is_the_clients():
    chain = "198.51.100.1, 203.0.113.7, 10.1.2.3, 172.16.0.4"
    trusted = ["10.0.0.0/8", "172.16.0.4/32"]
    assert address_of(PROXY, chain, trusted=trusted) == "203.0.113.7"


def test_a_request_not_through_a_trusted_proxy_is_its_sockets():
    assert address_of("192.0.2.9", "203.0.113.7", trusted=["10.0.0.0/8"]) == "192.0.2.9"


def test_only_trusted_addresses_give_the_left_most():
    assert address_of(PROXY, "10.0.0.7, 10.0.0.8", trusted=["10.0.0.0/8"]) == "10.0.0.7"


def test_addresses_with_ports_count_without_them():
    assert address_of(PROXY, "[2001:db8::7]:443", trusted=1) == "2001:db8::7"
    assert address_of(PROXY, "203.0.113.7:50123", trusted=1) == "203.0.113.7"


def test_what_the_proxy_did_not_write_as_an_address_counts_as_the_sockets():
    assert address_of(PROXY, "203.0.113.7, not-an-address", trusted=1) == PROXY


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("", "[]"), ("2", "2"), ("10.0.0.0/8, 192.0.2.1", "['10.0.0.0/8', '192.0.2.1/32']")],
)
def test_the_proxies_are_set_in_the_environment(value, parsed):
    assert settings_in_a_process({"HELPDESK_TRUSTED_PROXIES": value}).stdout.strip() == parsed


def test_a_trusted_proxy_that_is_no_address_is_refused_at_start_up():
    started = settings_in_a_process({"HELPDESK_TRUSTED_PROXIES": "nginx"})
    assert started.returncode != 0
    assert "does not appear to be an IPv4 or IPv6 network" in started.stderr


def settings_in_a_process(environment: dict[str, str]):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.HELPDESK_TRUSTED_PROXIES)"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "issues_adapters.settings"} | environment
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)


# -- what counts by it --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_x_forwarded_for_per_report_no_longer_escapes_the_rate():
    client = anonymous("192.0.2.60")
    with rates(report="2/minute"):
        statuses = [
            client.post(
                ISSUES, A_REPORT, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
            ).status_code
            for n in range(3)
        ]
    assert statuses == [201, 201, 429]


@pytest.mark.django_db
def test_a_new_x_forwarded_for_per_token_request_no_longer_escapes_the_rate():
    client = anonymous("192.0.2.61")
    guess = {"username": "nobody-61", "password": "guess"}
    with rates(token="2/minute"):
        statuses = [
            client.post(
                TOKEN, guess, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
            ).status_code
            for n in range(3)
        ]
    assert statuses == [400, 400, 429]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_rate():
    proxy = anonymous(PROXY)
    with rates(report="1/minute"), override_settings(HELPDESK_TRUSTED_PROXIES=["10.0.0.0/8"]):
        statuses = [
            proxy.post(
                ISSUES, A_REPORT, format="json", HTTP_X_FORWARDED_FOR=f"made-up, {client}"
            ).status_code
            for client in ("203.0.113.62", "203.0.113.63", "203.0.113.62")
        ]
    assert statuses == [201, 201, 429]


@pytest.mark.django_db
def test_an_anonymous_idempotency_key_belongs_to_the_socket_not_to_x_forwarded_for():
    key = str(uuid.uuid4())
    client = anonymous("192.0.2.64")

    def report(forwarded_for: str):
        return client.post(
            ISSUES,
            A_REPORT,
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    first, retry = report("198.51.100.1"), report("198.51.100.2")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry["Idempotent-Replayed"] == "true"
    assert IssueRecord.objects.count() == 1
