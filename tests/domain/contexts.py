"""Base contexts for the Issue specs: each one arranges a step further along the lifecycle.

A spec class builds on one of them and adds only its `because_` and its assertions. Every
context forgets the events its arrangement raised, so a spec sees only what its own act raised.
"""

import uuid

from expects import be_empty, equal, expect

from issues_domain.issue import Issue
from issues_domain.values import Actor
from tests.fakes import FakeCategories, FakeStaffDirectory

CATEGORIES = FakeCategories("hardware", "network", "software")
STAFF = FakeStaffDirectory("alice", "bob", "carol")
ALICE = Actor.staff("alice")
BOB = Actor.staff("bob")


def report_an_issue(**overrides) -> Issue:
    fields = {
        "issue_id": uuid.uuid4(),
        "reference": "HD-1042",
        "reporter_name": "Fred Bloggs",
        "reporter_email": "fred@example.org",
        "description": "The printer on the third floor is on fire.",
        "category": None,
        "priority": None,
        "categories": CATEGORIES,
    }
    return Issue.report(**(fields | overrides))


def snapshot(issue: Issue) -> dict:
    """Everything a refused command must leave as it was."""
    return {
        "status": issue.status,
        "category": issue.category,
        "priority": issue.priority,
        "assignee": issue.assignee,
        "resolution": issue.resolution,
        "version": issue.version,
        "updated_at": issue.updated_at,
        "comments": list(issue.comments),
        "tags": list(issue.tags),
        "merged_into": issue.merged_into,
        "links": dict(issue.links),
        "events": list(issue.events),
    }


class With_a_reported_issue:
    def given_a_reported_issue(self):
        self.issue = report_an_issue()
        self.issue.events.clear()


class With_a_triaged_issue(With_a_reported_issue):
    def given_it_was_triaged(self):
        self.issue.triage("hardware", "high", ALICE, CATEGORIES)
        self.issue.events.clear()


class With_an_assigned_issue(With_a_triaged_issue):
    def given_it_was_assigned_to_bob(self):
        self.issue.assign("bob", ALICE, STAFF)
        self.issue.events.clear()


class With_a_resolved_issue(With_an_assigned_issue):
    def given_bob_resolved_it(self):
        self.issue.mark_as_resolved("Replaced the fuser.", BOB)
        self.issue.events.clear()


class With_a_closed_issue(With_a_resolved_issue):
    def given_it_was_closed(self):
        self.issue.close(ALICE)
        self.issue.events.clear()


class With_an_issue_resolved_right_after_it_was_reported(With_a_reported_issue):
    def given_it_was_resolved_at_once(self):
        self.issue.mark_as_resolved("Already fixed.", ALICE)
        self.issue.events.clear()


class With_an_issue_resolved_after_triage(With_a_triaged_issue):
    def given_it_was_resolved_without_an_assignee(self):
        self.issue.mark_as_resolved("A known problem; fixed upstream.", ALICE)
        self.issue.events.clear()


class Refused:
    """Mix in before a context: the spec's act must be refused and leave the issue as it was.

    The spec stores the caught error in `self.error` and asserts its code itself.
    """

    def given_the_issue_as_it_was(self):
        self.before = snapshot(self.issue)

    def it_should_leave_the_issue_unchanged(self):
        expect(snapshot(self.issue)).to(equal(self.before))

    def it_should_raise_no_event(self):
        expect(self.issue.events).to(be_empty)


class TwoRefused:
    """Mix in: `self.issue` and `self.original` stay as they were and raise nothing."""

    def given_both_as_they_were(self):
        self.before = (snapshot(self.issue), snapshot(self.original))

    def it_should_leave_both_unchanged(self):
        expect((snapshot(self.issue), snapshot(self.original))).to(equal(self.before))

    def it_should_raise_no_event(self):
        expect(self.issue.events + self.original.events).to(be_empty)
