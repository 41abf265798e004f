"""The events of tags, merges and links are recorded and read back as they were raised."""

import pytest

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from issues_domain.values import Actor, IssueStatus, LinkKind
from tests.web.support import report

pytestmark = pytest.mark.django_db

NEW = ("IssueTagged", "IssueMerged", "DuplicateMergedIn", "IssuesLinked", "IssuesUnlinked")


def test_every_new_event_reads_back_as_the_domain_raised_it():
    bus, alice = message_bus(), Actor.staff("alice")
    duplicate, target = report(), report()
    bus.handle(commands.TagIssue(issue_id=duplicate, add=("printer", "toner"), actor=alice))
    bus.handle(commands.LinkIssues(issue_id=duplicate, other=str(target), actor=alice))
    bus.handle(commands.UnlinkIssues(issue_id=target, other=str(duplicate), actor=alice))
    bus.handle(commands.MergeIssue(issue_id=duplicate, into=str(target), actor=alice))

    read = {
        row.event_type: to_event(row)
        for row in RecordedEvent.objects.filter(event_type__in=NEW, issue_id=duplicate)
    } | {
        f"{row.event_type}@target": to_event(row)
        for row in RecordedEvent.objects.filter(event_type__in=NEW, issue_id=target)
    }
    assert read["IssueTagged"].tags == ("printer", "toner")
    assert read["IssueTagged"].removed == ()
    assert read["IssuesLinked"].other_id == target
    assert read["IssuesLinked@target"].kind == LinkKind.RELATED
    assert read["IssuesUnlinked@target"].other_id == duplicate
    merged = read["IssueMerged"]
    assert isinstance(merged, events.IssueMerged)
    assert (merged.into, merged.status) == (target, IssueStatus.CLOSED)
    came_in = read["DuplicateMergedIn@target"]
    assert (came_in.duplicate_id, came_in.reporter_email) == (duplicate, "fred@example.org")
    assert came_in.status == IssueStatus.REPORTED
