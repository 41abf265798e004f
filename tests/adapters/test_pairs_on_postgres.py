"""Commands that change two issues, started from both ends at once, on PostgreSQL: the locks
are taken in one order, so one wins and the other is refused; nobody deadlocks."""

import pytest
from expects import equal, expect

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain.commands import LinkIssues, MergeIssue, UnlinkIssues
from issues_domain.errors import DomainError
from issues_domain.values import Actor
from tests.adapters.contexts import report_an_issue
from tests.support.concurrency import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("on_postgres"),
]


def _codes(outcomes) -> list:
    return sorted(o.code if isinstance(o, DomainError) else type(o).__name__ for o in outcomes)


def test_linking_a_pair_from_both_ends_at_once_links_it_once():
    one, other = report_an_issue(), report_an_issue()
    bus, alice = message_bus(), Actor.staff("alice")
    for _ in range(5):
        outcomes = run_at_once(
            lambda: bus.handle(LinkIssues(issue_id=one, other=str(other), actor=alice)),
            lambda: bus.handle(LinkIssues(issue_id=other, other=str(one), actor=alice)),
        )
        expect(_codes(outcomes)).to(equal(["UUID", "already_linked"]))
        links = dict(IssueRecord.objects.filter(id__in=[one, other]).values_list("id", "links"))
        expect(links).to(equal({one: {str(other): "related"}, other: {str(one): "related"}}))
        bus.handle(UnlinkIssues(issue_id=one, other=str(other), actor=alice))


def test_merging_two_issues_into_each_other_at_once_merges_one():
    one, other = report_an_issue(), report_an_issue()
    bus, alice = message_bus(), Actor.staff("alice")
    outcomes = run_at_once(
        lambda: bus.handle(MergeIssue(issue_id=one, into=str(other), actor=alice)),
        lambda: bus.handle(MergeIssue(issue_id=other, into=str(one), actor=alice)),
    )
    expect(_codes(outcomes)).to(equal(["UUID", "merge_cycle"]))
