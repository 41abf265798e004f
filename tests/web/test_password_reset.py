"""Password reset requests are rate-limited per email address and per client address: each one
mails the account, so forty requests used to mean forty mails to a staff member."""

import pytest
from django.core import mail
from django.test import Client

from tests.api.contexts import rates
from tests.web.support import make_user

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"


def ask(email: str, address: str = "192.0.2.60"):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email})


def test_forty_requests_for_one_account_mail_it_only_up_to_the_rate():
    make_user("carol")
    with rates(password_reset="3/hour"):
        answers = [ask("carol@example.org", f"192.0.2.{n}").status_code for n in range(40)]

    assert answers == [302] * 3 + [429] * 37
    assert [message.to for message in mail.outbox] == [["carol@example.org"]] * 3


def test_the_account_is_counted_whatever_the_case_of_its_address():
    make_user("dave")
    with rates(password_reset="1/hour"):
        first = ask("dave@example.org")
        again = ask("DAVE@Example.ORG", "192.0.2.61")

    assert (first.status_code, again.status_code) == (302, 429)


def test_a_refusal_keeps_what_was_typed_says_when_and_is_the_same_for_an_unknown_address():
    make_user("erin")
    with rates(password_reset="1/hour"):
        ask("erin@example.org")
        ask("nobody@example.org")
        known = ask("erin@example.org")
        unknown = ask("nobody@example.org")

    for refused in (known, unknown):
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 3600
        html = refused.content.decode()
        assert "Nothing was sent; please try again in" in html
    assert 'value="erin@example.org"' in known.content.decode()
    assert len(mail.outbox) == 1


def test_one_client_address_asking_for_many_accounts_is_refused_too():
    with rates(password_reset_address="2/hour"):
        answers = [ask(f"user{n}@example.org", "192.0.2.62").status_code for n in range(3)]
        elsewhere = ask("user9@example.org", "192.0.2.63")

    assert answers == [302, 302, 429]
    assert elsewhere.status_code == 302
