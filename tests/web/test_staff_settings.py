"""/staff/settings/: each staff member's mail choices, and the one-click unsubscribe link
(List-Unsubscribe, RFC 8058) in every staff mail they can turn off."""

import re

import pytest
from django.core import mail
from django.test import Client

from issues_adapters.accounts.models import NotificationSettings
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import issue_in, make_user, report, row, staff_client, token

pytestmark = pytest.mark.django_db


def choose(client, **fields):
    data = {
        "new_issues": "none",
        "on_assignment": "on",
        "on_reporter_reply": "on",
        "on_reopen": "on",
    } | fields
    return client.post("/staff/settings/", {k: v for k, v in data.items() if v is not None})


def mails_to(username: str) -> list:
    return [m for m in mail.outbox if any(f"{username}@example.org" in to for to in m.to)]


def test_anonymous_visitors_go_to_login_and_other_people_are_refused():
    assert Client().get("/staff/settings/").status_code == 302
    make_user("mallory", staff=False)
    outsider = Client()
    outsider.force_login(make_user("eve", staff=False))
    assert outsider.get("/staff/settings/").status_code == 403


def test_the_page_shows_the_defaults_the_assignees_mails_on():
    html = staff_client().get("/staff/settings/").content.decode()
    for name in ("on_assignment", "on_reporter_reply", "on_reopen"):
        assert re.search(rf'name="{name}"[^>]*checked', html), name
    assert re.search(r'name="new_issues" value="none"[^>]*checked', html)


def test_a_staff_member_who_chose_every_new_issue_gets_a_mail_with_one_click_unsubscribe(
    django_capture_on_commit_callbacks,
):
    alice = staff_client("alice")
    choose(alice, new_issues="all")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report(description="The lift is stuck.")
    (sent,) = mails_to("alice")
    assert "New issue" in sent.subject and "The lift is stuck." in sent.body
    link = sent.extra_headers["List-Unsubscribe"].strip("<>")
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in sent.body

    # A mail client's one-click POST: no login, no CSRF token.
    path = link.split("://", 1)[-1].split("/", 1)[1]
    one_click = Client(enforce_csrf_checks=True)
    assert one_click.get("/" + path).status_code == 200  # a GET changes nothing
    assert NotificationSettings.objects.get(user__username="alice").new_issues == "all"
    response = one_click.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationSettings.objects.get(user__username="alice").new_issues == "none"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report(description="The lift is stuck again.")
    assert mails_to("alice") == []


def test_chosen_categories_only(django_capture_on_commit_callbacks):
    bob = staff_client("bob")
    choose(bob, new_issues="categories", new_issue_categories=["network"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report(description="Printer jam.", category="printing")
        report(description="Wi-Fi down.", category="network")
    assert [("Wi-Fi down." in m.body) for m in mails_to("bob")] == [True]


def test_turning_off_assignment_mail(django_capture_on_commit_callbacks):
    bob = staff_client("bob")
    choose(bob, on_assignment=None)
    issue_id = report()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_bus().handle(
            commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=Actor.staff("alice"))
        )
    assert mails_to("bob") == []


def test_the_reporter_reopening_mails_the_assignee_with_the_reason(
    django_capture_on_commit_callbacks,
):
    make_user("alice")
    issue_id = issue_in("resolved")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            f"/track/{token(issue_id)}/reopen/",
            {"reason": "Jams on page two.", "expected_version": row(issue_id).version},
        )
    (sent,) = mails_to("alice")
    assert "Reopened by the reporter" in sent.subject and "Jams on page two." in sent.body
    assert "List-Unsubscribe" in sent.extra_headers


def test_a_forged_or_broken_link_changes_nothing():
    staff_client("alice")
    response = Client().post("/unsubscribe/not-a-signed-token/")
    assert response.status_code == 404
    assert NotificationSettings.objects.count() == 0


def test_settings_keep_what_was_chosen_on_a_bad_submission():
    alice = staff_client("alice")
    response = choose(alice, new_issues="sometimes")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
