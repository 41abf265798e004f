"""Failed logins lock the account and the address out for a while, the right password too."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/accounts/login/"
TOKEN = "/api/auth/token/"


@pytest.fixture(autouse=True)
def _three_failures_then_locked(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(
        HELPDESK_LOGIN_FAILURES_PER_ACCOUNT=3,
        HELPDESK_LOGIN_FAILURES_PER_ADDRESS=5,
        HELPDESK_LOGIN_LOCKOUT_SECONDS=600,
    ):
        yield


def staff(username: str):
    return get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)


def log_in(username: str, password: str, address: str, **headers):
    return Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": username, "password": password}, **headers
    )


def test_three_wrong_passwords_lock_the_account_even_against_the_right_one():
    staff("lock-1")
    wrong = [log_in("lock-1", "guess", "192.0.2.101").status_code for _ in range(3)]
    right = log_in("lock-1", PASSWORD, "192.0.2.101")
    assert wrong == [200, 200, 200]
    assert right.status_code == 429
    assert int(right["Retry-After"]) == 600
    assert "Too many failed logins" in right.content.decode()
    assert "try again in 10 minutes" in right.content.decode()
    assert "_auth_user_id" not in right.wsgi_request.session


def test_the_account_is_locked_whichever_address_the_guesses_come_from():
    staff("lock-2")
    for n in range(3):
        log_in("lock-2", "guess", f"198.51.100.{n + 1}")
    assert log_in("lock-2", PASSWORD, "198.51.100.99").status_code == 429


def test_below_the_limit_the_right_password_still_logs_in():
    staff("lock-3")
    for _ in range(2):
        log_in("lock-3", "guess", "192.0.2.103")
    assert log_in("lock-3", PASSWORD, "192.0.2.103").status_code == 302


def test_an_address_guessing_many_accounts_is_locked_out_for_all_of_them():
    staff("lock-4")
    for n in range(5):
        log_in(f"nobody-{n}", "guess", "192.0.2.104")
    assert log_in("lock-4", PASSWORD, "192.0.2.104").status_code == 429
    assert log_in("lock-4", PASSWORD, "192.0.2.204").status_code == 302


def test_a_made_up_x_forwarded_for_does_not_escape_the_address_lockout():
    staff("lock-5")
    for n in range(5):
        log_in(f"nobody-5{n}", "guess", "192.0.2.105", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert log_in("lock-5", PASSWORD, "192.0.2.105").status_code == 429


def test_the_token_endpoint_locks_out_the_same_way():
    staff("lock-6")
    client = APIClient(REMOTE_ADDR="192.0.2.106")
    ask = lambda password: client.post(  # noqa: E731
        TOKEN, {"username": "lock-6", "password": password}, format="json"
    )
    wrong = [ask("guess").status_code for _ in range(3)]
    right = ask(PASSWORD)
    assert wrong == [400, 400, 400]
    assert (right.status_code, right.json()["code"]) == (429, "throttled")
    assert "Too many failed logins" in right.json()["detail"]
    assert int(right["Retry-After"]) == 600
    assert not Token.objects.exists()


def test_failures_at_the_token_endpoint_lock_the_login_page_too():
    staff("lock-7")
    client = APIClient(REMOTE_ADDR="192.0.2.107")
    for _ in range(3):
        client.post(TOKEN, {"username": "lock-7", "password": "guess"}, format="json")
    assert log_in("lock-7", PASSWORD, "192.0.2.207").status_code == 429


def test_the_admin_login_is_refused_too_while_locked():
    user = staff("lock-8")
    user.is_superuser = True
    user.save()
    for _ in range(3):
        log_in("lock-8", "guess", "192.0.2.108")
    browser = Client(REMOTE_ADDR="192.0.2.208")
    page = browser.post("/admin/login/", {"username": "lock-8", "password": PASSWORD})
    assert "Too many failed logins" in page.content.decode()
    assert browser.get("/admin/").status_code == 302  # still sent to the login page
