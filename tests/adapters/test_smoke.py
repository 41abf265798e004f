import pytest
from expects import equal, expect

from issues_adapters.wiring import issue_queries, message_bus
from issues_domain.commands import MarkIssueAsResolved, ReportIssue
from issues_domain.values import Actor
from issues_service.queries import QueueFilters


@pytest.mark.django_db
def test_report_and_resolve_round_trip():
    bus = message_bus()
    issue_id = bus.handle(
        ReportIssue(
            reporter_name="A", reporter_email="a@b.co", description="x", category="hardware"
        )
    )
    bus.handle(MarkIssueAsResolved(issue_id=issue_id, resolution="fixed", actor=Actor.staff("bob")))
    detail = issue_queries().issue(issue_id)
    expect(detail.status).to(equal("resolved"))
    expect(detail.version).to(equal(2))
    expect(len(issue_queries().history(issue_id))).to(equal(2))
    expect(len(issue_queries().queue(QueueFilters()).issues)).to(equal(1))
