"""The events of waiting on the reporter are read back as they were written (event codec)."""

import uuid
from datetime import UTC, datetime

import pytest

from issues_adapters.persistence.event_codec import decode, encode
from issues_domain.attachments import Attachment
from issues_domain.events import IssueAwaitingReporter, ReporterAnswered
from issues_domain.values import Actor, IssueReporter, IssueStatus

ENVELOPE = {
    "event_id": uuid.uuid4(),
    "issue_id": uuid.uuid4(),
    "version": 5,
    "occurred_at": datetime(2026, 12, 3, 12, 0, tzinfo=UTC),
    "correlation_id": "req-1",
    "causation_id": "cmd-1",
}


@pytest.mark.parametrize(
    "event",
    [
        IssueAwaitingReporter(
            **ENVELOPE,
            actor=Actor.staff("bob"),
            status=IssueStatus.WAITING,
            comment_id=uuid.uuid4(),
            comment="Which model?",
            reporter_email="fred@example.org",
            attachments=(Attachment(uuid.uuid4(), "label.png", "image/png", 321, "ef" * 32),),
            watchers=("jane@example.org",),
        ),
        ReporterAnswered(
            **ENVELOPE,
            actor=Actor.reporter(IssueReporter("Fred", "fred@example.org")),
            status=IssueStatus.TRIAGED,
            returned_to=IssueStatus.TRIAGED,
        ),
    ],
)
def test_each_reads_back_as_written(event):
    read = decode(
        type(event).__name__,
        encode(event),
        actor_role=event.actor.role.value,
        actor_name=event.actor.name,
        actor_email=event.actor.email,
        status=event.status.value,
        schema_version=type(event).schema_version,
        **ENVELOPE,
    )
    assert read == event


def test_a_schema_1_question_reads_with_no_files_and_no_watchers():
    """IssueAwaitingReporter 2 added the question's files and the watchers copied on it."""
    data = {"comment_id": str(uuid.uuid4()), "comment": "Which?", "reporter_email": "f@x.org"}
    read = decode(
        "IssueAwaitingReporter",
        data,
        actor_role="staff",
        actor_name="bob",
        actor_email="",
        status="waiting",
        schema_version=1,
        **ENVELOPE,
    )
    assert (read.attachments, read.watchers) == ((), ())
