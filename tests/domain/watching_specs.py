"""Watchers: addresses copied on an issue's public activity. Staff add and remove them; a
mail's Cc brings them in at report; a merge (another branch) adds the merged issue's reporter."""

import uuid

from expects import be_empty, equal, expect

from issues_domain.events import (
    IssueCommented,
    IssueReported,
    IssueResolved,
    WatcherAdded,
    WatcherRemoved,
)
from issues_domain.values import Actor
from tests.domain.contexts import (
    ALICE,
    BOB,
    With_a_closed_issue,
    With_an_assigned_issue,
    report_an_issue,
)
from tests.matchers import be_refused_with, catch, have_raised

JANE = "jane@Example.ORG"


class With_a_watched_issue(With_an_assigned_issue):
    def given_jane_watches_it(self):
        self.issue.add_watcher(JANE, ALICE)
        self.issue.events.clear()


class When_staff_add_a_watcher(With_an_assigned_issue):
    def because_alice_copies_jane(self):
        self.issue.add_watcher(f"  {JANE} ", ALICE)

    def it_should_keep_the_address_with_its_domain_in_lower_case(self):
        expect(self.issue.watchers).to(equal(["jane@example.org"]))

    def it_should_raise_watcher_added(self):
        expect(self.issue).to(have_raised(WatcherAdded, email="jane@example.org", actor=ALICE))


class When_adding_a_watcher_twice(With_a_watched_issue):
    def because_alice_copies_jane_again(self):
        self.error = catch(lambda: self.issue.add_watcher("JANE@example.org", ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("already_watching"))


class When_adding_the_reporter_as_a_watcher(With_an_assigned_issue):
    def because_alice_copies_the_reporter(self):
        self.error = catch(lambda: self.issue.add_watcher("fred@example.org", ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("reporter_cannot_watch"))


class When_adding_an_invalid_address(With_an_assigned_issue):
    def because_it_is_not_an_address(self):
        self.error = catch(lambda: self.issue.add_watcher("jane at example", ALICE))

    def it_should_be_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
        expect(self.issue.events).to(be_empty)


class When_adding_a_watcher_to_a_closed_issue(With_a_closed_issue):
    def because_alice_tries(self):
        self.error = catch(lambda: self.issue.add_watcher(JANE, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_removing_a_watcher(With_a_watched_issue):
    def because_alice_removes_jane(self):
        self.issue.remove_watcher("jane@example.org", ALICE)

    def it_should_no_longer_copy_her(self):
        expect(self.issue.watchers).to(be_empty)

    def it_should_raise_watcher_removed(self):
        expect(self.issue).to(have_raised(WatcherRemoved, email="jane@example.org"))


class When_removing_somebody_who_is_not_watching(With_an_assigned_issue):
    def because_alice_tries(self):
        self.error = catch(lambda: self.issue.remove_watcher(JANE, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("not_watching"))


class When_a_watched_issue_gets_a_reply_and_is_resolved(With_a_watched_issue):
    def because_bob_replies_then_resolves(self):
        self.issue.comment(uuid.uuid4(), BOB, "Try again now.", "public")
        self.issue.mark_as_resolved("Fixed.", BOB)

    def it_should_name_the_watchers_in_both_events(self):
        expect(self.issue).to(have_raised(IssueCommented, watchers=("jane@example.org",)))
        expect(self.issue).to(have_raised(IssueResolved, watchers=("jane@example.org",)))


class When_a_watcher_comments(With_a_watched_issue):
    def because_jane_answers(self):
        self.issue.comment(uuid.uuid4(), Actor.watcher("jane@example.org"), "Me too.", "public")

    def it_should_be_her_public_comment(self):
        expect(self.issue.comments[-1].author.email).to(equal("jane@example.org"))


class When_somebody_else_comments_as_a_watcher(With_a_watched_issue):
    def because_a_stranger_tries(self):
        self.error = catch(
            lambda: self.issue.comment(
                uuid.uuid4(), Actor.watcher("eve@example.org"), "Hi", "public"
            )
        )

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("not_a_watcher"))


class When_reporting_with_copied_addresses:
    def because_a_mail_had_a_cc(self):
        self.issue = report_an_issue(
            watchers=("jane@example.org", "JANE@example.org", "fred@example.org", "joe@example.org")
        )

    def it_should_watch_each_other_address_once(self):
        expect(self.issue.watchers).to(equal(["jane@example.org", "joe@example.org"]))

    def it_should_say_so_in_issue_reported(self):
        expect(self.issue).to(
            have_raised(IssueReported, watchers=("jane@example.org", "joe@example.org"))
        )


class When_asking_who_hears_about_a_watched_issue(With_a_watched_issue):
    def because_a_merge_would_ask(self):
        self.answers = [
            self.issue.hears_about(email)
            for email in ("FRED@example.org", "jane@example.org", "joe@example.org")
        ]

    def it_should_name_the_reporter_and_the_watchers_only(self):
        expect(self.answers).to(equal([True, True, False]))
