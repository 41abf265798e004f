"""The issue page's notice after a form was sent against an old version says "What you typed is
kept below" only when the form had text typed into it (a comment, a resolution, a reason), not
after a pick or an assign from the side panel, which have none."""

import pytest
from expects import contain, expect

from tests.web.support import issue_in, make_user, report, row, staff_client

pytestmark = pytest.mark.django_db

CHANGED = "bob changed this issue while you were working on it, so nothing was saved."
KEPT = "What you typed is kept below"


def sent_against_an_old_version(issue_id, action: str, **fields) -> str:
    """Alice sends `action` against the version she saw, after bob triaged the issue."""
    alice = staff_client("alice")
    seen = row(issue_id).version
    staff_client("bob").post(
        f"/staff/issues/{issue_id}/triage/",
        {"category": "printing", "priority": "high", "expected_version": seen},
    )
    response = alice.post(
        f"/staff/issues/{issue_id}/{action}/", {"expected_version": seen, **fields}
    )
    return alice.get(response["Location"]).content.decode()


class When_a_stale_pick_is_refused:
    def because_alice_picks_an_issue_bob_just_triaged(self):
        self.html = sent_against_an_old_version(report(), "pick")

    def it_should_say_who_changed_it(self):
        expect(self.html).to(contain(CHANGED))

    def it_should_not_claim_anything_typed_is_kept(self):
        expect(self.html).not_to(contain(KEPT))


class When_a_stale_assign_is_refused:
    def given_carol(self):
        make_user("carol")

    def because_alice_assigns_an_issue_bob_just_triaged(self):
        self.html = sent_against_an_old_version(report(), "assign", assignee="carol")

    def it_should_say_who_changed_it(self):
        expect(self.html).to(contain(CHANGED))

    def it_should_not_claim_anything_typed_is_kept(self):
        expect(self.html).not_to(contain(KEPT))


class When_a_stale_comment_is_refused:
    def because_alice_comments_on_an_issue_bob_just_triaged(self):
        fields = {"body": "Which tray jams?", "visibility": "internal"}
        self.html = sent_against_an_old_version(issue_in("assigned"), "comment", **fields)

    def it_should_say_what_she_typed_is_kept(self):
        expect(self.html).to(contain(KEPT))
        expect(self.html).to(contain("Which tray jams?"))


class When_a_stale_tags_form_is_refused:
    def because_alice_tags_an_issue_bob_just_triaged(self):
        self.html = sent_against_an_old_version(report(), "tags", add="printer")

    def it_should_say_who_changed_it(self):
        expect(self.html).to(contain(CHANGED))

    def it_should_say_the_tags_she_typed_are_kept(self):
        expect(self.html).to(contain(KEPT))
        expect(self.html).to(contain('value="printer"'))


class When_a_stale_merge_is_refused:
    def given_an_issue_to_merge_into(self):
        self.into = row(report(description="The same printer, again.")).reference

    def because_alice_merges_an_issue_bob_just_triaged(self):
        self.html = sent_against_an_old_version(report(), "merge", into=self.into)

    def it_should_say_who_changed_it(self):
        expect(self.html).to(contain(CHANGED))
