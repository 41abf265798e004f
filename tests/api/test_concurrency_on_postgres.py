"""Two clients writing to one issue at the same moment, over HTTP, on PostgreSQL."""

import pytest
from expects import equal, expect

from issues_adapters.api.models import IdempotencyRecord
from issues_adapters.persistence.models import CommentRecord, IssueRecord, RecordedEvent
from tests.api.contexts import A_REPORT, ISSUES, anonymous, issue_url, make_user, token_client
from tests.support.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("on_postgres"),
]


def reported_issue() -> str:
    return anonymous().post(ISSUES, A_REPORT, format="json").json()["id"]


def test_two_staff_resolving_the_version_they_read_give_one_200_and_one_412():
    alice, bob = token_client(make_user("alice")), token_client(make_user("bob"))
    issue_id = reported_issue()

    def resolve(client, resolution):
        return lambda: client.post(
            issue_url(issue_id, "resolve"),
            {"resolution": resolution},
            format="json",
            HTTP_IF_MATCH='"1"',
        )

    responses = run_at_once(resolve(alice, "Alice's fix"), resolve(bob, "Bob's fix"))

    expect(sorted(r.status_code for r in responses)).to(equal([200, 412]))
    winner = next(r for r in responses if r.status_code == 200).json()
    row = IssueRecord.objects.get(id=issue_id)
    expect((row.status, row.version, row.resolution)).to(
        equal(("resolved", 2, winner["resolution"]))
    )
    expect(RecordedEvent.objects.filter(issue_id=issue_id).count()).to(equal(2))


def test_two_staff_resolving_without_if_match_give_one_200_and_one_409():
    alice, bob = token_client(make_user("alice")), token_client(make_user("bob"))
    issue_id = reported_issue()

    def resolve(client):
        return lambda: client.post(
            issue_url(issue_id, "resolve"), {"resolution": "Fixed"}, format="json"
        )

    responses = run_at_once(resolve(alice), resolve(bob))

    expect(sorted((r.status_code, r.json().get("code")) for r in responses)).to(
        equal([(200, None), (409, "issue_already_resolved")])
    )
    expect(RecordedEvent.objects.filter(issue_id=issue_id, event_type="IssueResolved").count()).to(
        equal(1)
    )


def test_two_staff_commenting_at_once_lose_neither_comment():
    alice, bob = token_client(make_user("alice")), token_client(make_user("bob"))
    issue_id = reported_issue()

    def comment(client, body):
        return lambda: client.post(issue_url(issue_id, "comments"), {"body": body}, format="json")

    responses = run_at_once(*(comment(c, f"{n}") for n in range(4) for c in (alice, bob)))

    expect([r.status_code for r in responses]).to(equal([201] * 8))
    bodies = CommentRecord.objects.filter(issue_id=issue_id).values_list("body", flat=True)
    expect(sorted(bodies)).to(equal(sorted(str(n) for n in range(4) for _ in (1, 2))))
    expect(IssueRecord.objects.get(id=issue_id).version).to(equal(9))


def test_the_same_idempotency_key_sent_twice_at_once_reports_one_issue():
    client = anonymous()
    key = {"HTTP_IDEMPOTENCY_KEY": "one-report-please"}

    def report():
        return client.post(ISSUES, A_REPORT, format="json", **key)

    responses = run_at_once(report, report, report)
    retry = report()

    expect(IssueRecord.objects.count()).to(equal(1))
    ran = [r for r in responses if r.status_code == 201 and not r.get("Idempotent-Replayed")]
    others = {
        (r.status_code, r.json().get("code"), r.get("Idempotent-Replayed"))
        for r in responses
        if r not in ran
    }
    expect(len(ran)).to(equal(1))
    expect(others <= {(409, "idempotency_key_in_use", None), (201, None, "true")}).to(equal(True))
    expect((retry.status_code, retry.json(), retry["Idempotent-Replayed"])).to(
        equal((201, ran[0].json(), "true"))
    )
    expect(IdempotencyRecord.objects.get().state).to(equal("done"))
