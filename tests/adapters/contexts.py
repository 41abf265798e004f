"""Shared setup for adapter specs that run against the real database."""

import uuid

from django.contrib.auth import get_user_model

from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
from issues_adapters.wiring import message_bus
from issues_domain.commands import ReportIssue
from issues_domain.values import Actor

ALICE = Actor.staff("alice")


def make_staff(username: str, *, active: bool = True):
    return get_user_model().objects.create_user(
        username=username, password="not-used-here", is_staff=True, is_active=active
    )


def report_an_issue(**overrides) -> uuid.UUID:
    fields = {
        "reporter_name": "Fred Bloggs",
        "reporter_email": "fred@example.org",
        "description": "The printer on the second floor is on fire.",
        "category": "printing",
        "priority": "high",
    } | overrides
    return message_bus().handle(ReportIssue(**fields))


def load(issue_id: uuid.UUID):
    with DjangoUnitOfWork() as uow:
        return uow.issues.get(issue_id)
