"""Several staff acting on one issue at once, on PostgreSQL with real concurrent connections."""

import pytest
from expects import equal, expect

from issues_adapters.persistence.models import CommentRecord, IssueRecord, RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain.commands import CommentOnIssue, MarkIssueAsResolved
from issues_domain.errors import DomainError
from issues_domain.values import Actor
from tests.adapters.contexts import report_an_issue
from tests.support.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("on_postgres"),
]


def test_eight_staff_commenting_at_once_lose_no_comment():
    issue_id = report_an_issue()
    bus = message_bus()

    def comment_five_times(engineer):
        def action():
            for n in range(5):
                bus.handle(
                    CommentOnIssue(
                        issue_id=issue_id, author=Actor.staff(engineer), body=f"{engineer} #{n}"
                    )
                )
            return "ok"

        return action

    outcomes = run_at_once(*[comment_five_times(f"engineer{n}") for n in range(8)])

    expect(outcomes).to(equal(["ok"] * 8))
    expect(CommentRecord.objects.filter(issue_id=issue_id).count()).to(equal(40))
    expect(IssueRecord.objects.get(id=issue_id).version).to(equal(41))
    versions = list(
        RecordedEvent.objects.filter(issue_id=issue_id)
        .order_by("issue_version")
        .values_list("issue_version", flat=True)
    )
    expect(versions).to(equal(list(range(1, 42))))


def test_two_staff_resolving_at_once_give_one_success_and_one_refusal():
    issue_id = report_an_issue()
    bus = message_bus()

    def resolve(engineer):
        return lambda: bus.handle(
            MarkIssueAsResolved(
                issue_id=issue_id, resolution=f"fixed by {engineer}", actor=Actor.staff(engineer)
            )
        )

    outcomes = run_at_once(resolve("alice"), resolve("bob"))

    refusals = [outcome for outcome in outcomes if isinstance(outcome, DomainError)]
    successes = [outcome for outcome in outcomes if outcome == issue_id]
    expect((len(successes), [refusal.code for refusal in refusals])).to(
        equal((1, ["issue_already_resolved"]))
    )
    expect(RecordedEvent.objects.filter(issue_id=issue_id, event_type="IssueResolved").count()).to(
        equal(1)
    )
