"""Watchers end to end: the API and the staff page add and remove them; an inbound mail's Cc
become watchers and a watcher's reply mail is their comment; watchers get public replies and the
resolution with their own link, never internal notes, never the reporter's tracking link."""

import re
import uuid
from email.message import EmailMessage

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from issues_adapters.persistence.models import CommentRecord, IssueRecord, WatcherRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.events.test_inbound_mail import a_maildir
from tests.web.support import issue_in, staff_client, token

pytestmark = pytest.mark.django_db


def staff_api() -> APIClient:
    user, _ = get_user_model().objects.get_or_create(
        username="alice", defaults={"is_staff": True, "is_active": True}
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def watched_by_jane(django_capture_on_commit_callbacks):
    issue_id = issue_in("assigned")
    with django_capture_on_commit_callbacks(execute=True):
        message_bus().handle(
            commands.AddWatcher(
                issue_id=issue_id, email="jane@example.org", actor=Actor.staff("alice")
            )
        )
    return issue_id


def test_the_api_adds_and_removes_a_watcher():
    issue_id = issue_in("assigned")
    api = staff_api()

    added = api.post(
        f"/api/issues/{issue_id}/watchers/", {"email": "jane@example.org"}, format="json"
    )
    again = api.post(
        f"/api/issues/{issue_id}/watchers/", {"email": "jane@example.org"}, format="json"
    )
    bad = api.post(f"/api/issues/{issue_id}/watchers/", {"email": "nope"}, format="json")
    removed = api.delete(f"/api/issues/{issue_id}/watchers/jane@example.org/")
    gone = api.delete(f"/api/issues/{issue_id}/watchers/jane@example.org/")

    assert (added.status_code, added.json()["watchers"]) == (201, ["jane@example.org"])
    assert (again.status_code, again.json()["code"]) == (409, "already_watching")
    assert bad.status_code == 400 and "email" in bad.json()
    assert removed.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (409, "not_watching")
    assert not WatcherRecord.objects.exists()


def test_only_staff_manage_watchers():
    issue_id = issue_in("assigned")

    response = APIClient().post(
        f"/api/issues/{issue_id}/watchers/", {"email": "jane@example.org"}, format="json"
    )

    assert response.status_code == 401


def test_the_staff_page_lists_adds_and_removes_watchers():
    issue_id = issue_in("assigned")
    staff = staff_client()
    version = IssueRecord.objects.get(id=issue_id).version

    staff.post(
        f"/staff/issues/{issue_id}/add-watcher/",
        {"email": "jane@example.org", "expected_version": version},
    )
    page = staff.get(f"/staff/issues/{issue_id}/").content.decode()
    staff.post(
        f"/staff/issues/{issue_id}/remove-watcher/",
        {"email": "jane@example.org", "expected_version": version + 1},
    )

    assert 'id="watchers"' in page and "jane@example.org" in page
    assert not WatcherRecord.objects.exists()


def test_a_watcher_is_told_with_their_own_link_never_the_reporters(
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    issue_id = watched_by_jane(django_capture_on_commit_callbacks)

    (told,) = [m for m in mail.outbox if m.to == ["jane@example.org"]]
    assert token(issue_id) not in told.body
    assert "/watch/" in told.body


def test_watchers_get_public_replies_and_the_resolution_but_never_notes(
    django_capture_on_commit_callbacks,
):
    issue_id = watched_by_jane(django_capture_on_commit_callbacks)
    bob = Actor.staff("bob")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=issue_id, author=bob, body="Secret note.", visibility="internal"
            )
        )
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=issue_id, author=bob, body="Try now.", visibility="public"
            )
        )
        message_bus().handle(
            commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Done.", actor=bob)
        )

    to_jane = [m for m in mail.outbox if m.to == ["jane@example.org"]]
    assert len(to_jane) == 2
    assert "Try now." in to_jane[0].body and "Done." in to_jane[1].body
    assert all("Secret note." not in m.body for m in to_jane)
    assert all(token(issue_id) not in m.body for m in to_jane)


def test_the_watcher_link_shows_the_public_conversation_and_takes_a_reply(
    django_capture_on_commit_callbacks,
):
    issue_id = watched_by_jane(django_capture_on_commit_callbacks)
    message_bus().handle(
        commands.CommentOnIssue(
            issue_id=issue_id, author=Actor.staff("bob"), body="Staff only.", visibility="internal"
        )
    )
    (told,) = [m for m in mail.outbox if m.to == ["jane@example.org"]]
    link = re.search(r"(/watch/[^/\s]+/)", told.body).group(1)
    browser = Client()

    page = browser.get(link).content.decode()
    replied = browser.post(link + "comment/", {"body": "Same here on floor 3."})

    assert "Staff only." not in page
    assert replied.status_code == 302
    comment = CommentRecord.objects.get(body="Same here on floor 3.")
    assert (comment.author_role, comment.author_email, comment.visibility) == (
        "watcher",
        "jane@example.org",
        "public",
    )


def test_a_removed_watchers_link_stops_working(django_capture_on_commit_callbacks):
    issue_id = watched_by_jane(django_capture_on_commit_callbacks)
    (told,) = [m for m in mail.outbox if m.to == ["jane@example.org"]]
    link = re.search(r"(/watch/[^/\s]+/)", told.body).group(1)
    message_bus().handle(
        commands.RemoveWatcher(
            issue_id=issue_id, email="jane@example.org", actor=Actor.staff("alice")
        )
    )

    assert Client().get(link).status_code == 404
    assert Client().get("/watch/forged-token/").status_code == 404


def a_mail(sender, subject, body="Same problem here.", **headers) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "helpdesk@localhost"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example.org>"
    for name, value in headers.items():
        message[name] = value
    message.set_content(body)
    return bytes(message)


def test_an_inbound_mails_cc_become_watchers_and_their_replies_comments(tmp_path):
    first = a_mail(
        "Fred <fred@example.org>",
        "Printer jams",
        Cc="Jane <jane@example.org>, helpdesk@localhost, not-an-address",
    )
    call_command("fetch_mail", a_maildir(tmp_path, first))
    issue = IssueRecord.objects.get()
    reply = a_mail("jane@example.org", f"Re: [{issue.reference}] Printer jams", "Me too.")
    stranger = a_mail("eve@example.org", f"Re: [{issue.reference}] Printer jams", "Hi.")

    (tmp_path / "second").mkdir()
    call_command("fetch_mail", a_maildir(tmp_path / "second", reply, stranger))

    assert list(WatcherRecord.objects.values_list("email", flat=True)) == ["jane@example.org"]
    (comment,) = CommentRecord.objects.filter(issue=issue)
    assert (comment.author_role, comment.author_email, comment.body) == (
        "watcher",
        "jane@example.org",
        "Me too.",
    )


def test_a_cc_on_a_new_issue_is_told_with_its_own_link(
    tmp_path, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    first = a_mail("Fred <fred@example.org>", "Printer jams", Cc="jane@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("fetch_mail", a_maildir(tmp_path, first))

    issue = IssueRecord.objects.get()
    (to_jane,) = [m for m in mail.outbox if m.to == ["jane@example.org"]]
    (to_fred,) = [m for m in mail.outbox if "fred@example.org" in m.to[0]]
    assert issue.tracking_token in to_fred.body
    assert issue.tracking_token not in to_jane.body and "/watch/" in to_jane.body


def test_a_merge_copies_the_duplicates_watchers_as_it_does_its_reporter(
    django_capture_on_commit_callbacks,
):
    target_id = issue_in("resolved")
    duplicate_id = issue_in("assigned", reporter_email="karl@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        message_bus().handle(
            commands.AddWatcher(
                issue_id=duplicate_id, email="jane@example.org", actor=Actor.staff("alice")
            )
        )
    mail.outbox.clear()
    target = IssueRecord.objects.get(id=target_id)

    with django_capture_on_commit_callbacks(execute=True):
        message_bus().handle(
            commands.MergeIssue(
                issue_id=duplicate_id, into=target.reference, actor=Actor.staff("alice")
            )
        )

    target.refresh_from_db()
    watchers = WatcherRecord.objects.filter(issue=target).values_list("email", flat=True)
    assert (target.status, sorted(watchers)) == (
        "resolved",
        ["jane@example.org", "karl@example.org"],
    )
    (to_jane,) = [m for m in mail.outbox if m.to == ["jane@example.org"]]
    (to_karl,) = [m for m in mail.outbox if "<karl@example.org>" in m.to[0]]
    assert to_jane.subject == to_karl.subject and target.reference in to_jane.subject
    assert "/watch/" in to_jane.body and target.tracking_token not in to_jane.body
