"""With DEBUG on (as under `make run`) errors get the product's pages, never Django's technical
ones with the URL list, the settings or the traceback."""

import logging

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import include, path

from tests.web.support import issue_in, staff_client

pytestmark = pytest.mark.django_db

TECHNICAL = ("URLconf", "Traceback", "DEBUG = True", "Request Method")


def crash(request):
    raise RuntimeError("the disk is on fire")


def suspicious(request):
    raise SuspiciousOperation("a forged session")


urlpatterns = [
    path("test-only/crash/", crash),
    path("test-only/suspicious/", suspicious),
    path("", include("issues_adapters.urls")),
]


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = __name__


def _shows_no_internals(response) -> str:
    html = response.content.decode()
    assert not [word for word in TECHNICAL if word in html], html[:500]
    return html


@pytest.mark.parametrize("address", ["/track/not-the-right-token/", "/no/such/page/"])
def test_an_unknown_address_gets_the_products_404(development, address):
    issue_in("assigned")
    response = Client().get(address)
    assert response.status_code == 404
    html = _shows_no_internals(response)
    assert "Page not found" in html
    assert "HD-" not in html


def test_an_unknown_issue_on_a_staff_page_gets_the_products_404(development):
    response = staff_client().get("/staff/issues/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "Page not found" in _shows_no_internals(response)


def test_a_suspicious_request_gets_the_products_400(development):
    response = Client().get("/test-only/suspicious/")
    assert response.status_code == 400
    assert "We could not accept that" in _shows_no_internals(response)


def test_a_crash_gets_the_products_500_and_the_traceback_goes_to_the_log(development, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/test-only/crash/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in _shows_no_internals(response)
    assert "the disk is on fire" in caplog.text


def test_a_crash_still_fails_a_test_that_does_not_expect_it(development):
    with pytest.raises(RuntimeError, match="the disk is on fire"):
        Client().get("/test-only/crash/")


def test_a_form_sent_without_its_csrf_cookie_gets_the_products_403(development):
    response = Client(enforce_csrf_checks=True).post("/", {"name": "Fred"})
    assert response.status_code == 403
    assert "Your form could not be sent" in _shows_no_internals(response)
