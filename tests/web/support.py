"""Helpers for the page tests: people, issues in a given state, and a signed-in browser."""

import html
import re
import uuid

from django.contrib.auth import get_user_model
from django.test import Client

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor


def make_user(username: str, *, staff: bool = True):
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw", is_staff=staff
    )


def staff_client(username: str = "alice") -> Client:
    user = get_user_model().objects.filter(username=username).first() or make_user(username)
    client = Client()
    client.force_login(user)
    return client


def report(**overrides) -> uuid.UUID:
    fields = {
        "reporter_name": "Fred Bloggs",
        "reporter_email": "fred@example.org",
        "description": "The printer on the second floor jams on every page.",
    } | overrides
    return message_bus().handle(commands.ReportIssue(**fields))


def issue_in(status: str, *, assignee: str = "alice", **overrides) -> uuid.UUID:
    """An issue brought to `status` through the commands, as staff member `assignee`."""
    issue_id = report(**overrides)
    actor = Actor.staff(assignee)
    bus = message_bus()
    if status == "reported":
        return issue_id
    bus.handle(
        commands.TriageIssue(issue_id=issue_id, category="printing", priority="high", actor=actor)
    )
    if status == "triaged":
        return issue_id
    bus.handle(commands.PickIssue(issue_id=issue_id, engineer=assignee))
    if status == "assigned":
        return issue_id
    if status == "waiting":
        bus.handle(commands.AwaitReporter(issue_id=issue_id, comment="Which one?", actor=actor))
        return issue_id
    bus.handle(commands.MarkIssueAsResolved(issue_id=issue_id, resolution="New drum.", actor=actor))
    if status == "resolved":
        return issue_id
    bus.handle(commands.CloseIssue(issue_id=issue_id, actor=actor))
    return issue_id


def row(issue_id: uuid.UUID) -> IssueRecord:
    return IssueRecord.objects.get(id=issue_id)


def listed(html: str, issue_id: uuid.UUID) -> bool:
    """Whether a queue page lists the issue: its reference as a row's link text, not anywhere
    in the page (the search box's placeholder reads "HD-1042", which holds HD-1, HD-10 ...)."""
    return f">{row(issue_id).reference}</a>" in html


_ROW = re.compile(r'<tr data-issue="([0-9a-f-]{36})"')
_NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def queue_ids(response) -> list[uuid.UUID]:
    """The issues a queue page lists, in its order (its rows, as a browser shows them)."""
    return [uuid.UUID(found) for found in _ROW.findall(response.content.decode())]


def next_page(response) -> str:
    """The queue page's "Next page" link, as a browser follows it ("" on the last page)."""
    found = _NEXT.search(response.content.decode())
    return html.unescape(found[1]) if found else ""


def token(issue_id: uuid.UUID) -> str:
    return row(issue_id).tracking_token


def comment(issue_id, body: str, *, visibility: str = "public", author: str = "alice"):
    message_bus().handle(
        commands.CommentOnIssue(
            issue_id=issue_id, author=Actor.staff(author), body=body, visibility=visibility
        )
    )
