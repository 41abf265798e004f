"""The session and its user are read on every request by statements compiled once
(accounts/sessions.py, accounts/backends.ModelBackend): whoever is signed out, deactivated,
given a new password, expired or deleted is out on their next request, as with Django's own."""

import importlib
from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.web.support import issue_in, make_user

pytestmark = pytest.mark.django_db

PAGES = ["/staff/", "/staff/issues/{issue}/"]


def signed_in(username: str = "alice") -> Client:
    make_user(username)
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "pw"})
    assert response.status_code == 302, response.content[:500]
    return client


def is_in(client: Client, issue) -> bool:
    """Signed in (every staff page answers), or out: anonymous, sent to the login page."""
    answers = {
        (response.status_code, response.get("Location", "").split("?")[0])
        for response in (client.get(page.format(issue=issue)) for page in PAGES)
    }
    assert answers in ({(200, "")}, {(302, "/accounts/login/")}), answers
    return answers == {(200, "")}


@pytest.fixture
def issue():
    return issue_in("assigned")


def test_signing_in_stores_the_session_in_the_database_with_the_kept_backend(issue):
    client = signed_in()
    assert is_in(client, issue)
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert session.get_decoded()[BACKEND_SESSION_KEY] == (
        "issues_adapters.accounts.backends.ModelBackend"
    )


def test_signing_out_is_out_at_once(issue):
    client = signed_in()
    assert is_in(client, issue)
    kept_cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not is_in(client, issue)
    client.cookies["sessionid"] = kept_cookie  # the old cookie, replayed
    assert not is_in(client, issue)


def test_a_deactivated_member_is_out_at_once(issue):
    client = signed_in()
    assert is_in(client, issue)
    get_user_model().objects.filter(username="alice").update(is_active=False)
    assert not is_in(client, issue)


def test_a_new_password_set_elsewhere_signs_every_session_out(issue):
    client = signed_in()
    assert is_in(client, issue)
    alice = get_user_model().objects.get(username="alice")
    alice.set_password("another")
    alice.save()
    assert not is_in(client, issue)


def test_an_expired_session_is_out(issue):
    client = signed_in()
    assert is_in(client, issue)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert not is_in(client, issue)


def test_a_deleted_member_is_out_and_another_member_sees_their_own_name(issue):
    alice, bob = signed_in("alice"), signed_in("bob")
    assert is_in(alice, issue) and is_in(bob, issue)
    assert b"bob" in bob.get("/staff/").content
    get_user_model().objects.filter(username="alice").delete()
    assert not is_in(alice, issue)
    assert is_in(bob, issue)


def test_a_session_signed_in_before_the_kept_backend_stays_signed_in_after_the_migration(issue):
    """Sessions naming Django's own ModelBackend (no longer listed) are moved to the kept one
    by accounts' migration 0003, so nobody is signed out at the deploy; the others stay."""
    from django.apps import apps
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    migration = importlib.import_module(
        "issues_adapters.accounts.migrations.0003_sessions_name_the_kept_backend"
    )
    user = make_user("carol")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["draft"] = "kept as it was"
    session.create()
    client = Client()
    client.cookies["sessionid"] = session.session_key
    assert not is_in(client, issue)
    other = signed_in("dave")

    assert migration.renamed(apps, migration.DJANGOS, migration.KEPT) == 1

    assert is_in(client, issue)
    assert is_in(other, issue)
    data = SessionStore(session.session_key).load()
    assert data["draft"] == "kept as it was"
    assert data[BACKEND_SESSION_KEY] == "issues_adapters.accounts.backends.ModelBackend"


def test_a_session_stored_by_djangos_own_backend_is_refused_as_it_names_a_backend_no_longer_listed(
    issue,
):
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = make_user("carol")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    client = Client()
    client.cookies["sessionid"] = session.session_key
    assert not is_in(client, issue)
    session[BACKEND_SESSION_KEY] = "issues_adapters.accounts.backends.ModelBackend"
    session.save()
    assert is_in(client, issue)
