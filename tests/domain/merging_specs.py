"""Merging a duplicate: it closes with `merged_into` set, and the target's timeline says so; the
duplicate's reporter and watchers become the target's watchers (each once, and none whom mail
about it reaches already), a resolved target's too.

Refused (409) when the issue is merged into itself, when either is closed, when the target was
itself merged, and when the target was merged into this issue (a cycle).
"""

from expects import be_none, equal, expect, have_len

from issues_domain.events import DuplicateMergedIn, IssueMerged, WatcherAdded
from issues_domain.values import IssueStatus
from tests.domain.contexts import (
    ALICE,
    TwoRefused,
    With_a_reported_issue,
    report_an_issue,
    snapshot,
)
from tests.matchers import be_refused_with, catch, have_raised


class With_a_duplicate_and_its_original(With_a_reported_issue):
    def given_an_original_reported_by_somebody_else(self):
        self.original = report_an_issue(
            reference="HD-1000", reporter_name="Ann Other", reporter_email="ann@example.org"
        )
        self.original.events.clear()


class When_merging_a_duplicate(With_a_duplicate_and_its_original):
    def because_alice_merges_it_into_the_original(self):
        self.issue.merge_into(self.original, ALICE)

    def it_should_close_the_duplicate(self):
        expect(self.issue.status).to(equal(IssueStatus.CLOSED))

    def it_should_point_the_duplicate_at_the_original(self):
        expect(self.issue.merged_into).to(equal(self.original.id))

    def it_should_raise_issue_merged_on_the_duplicate(self):
        expect(self.issue).to(
            have_raised(
                IssueMerged,
                issue_id=self.issue.id,
                version=2,
                status=IssueStatus.CLOSED,
                into=self.original.id,
                into_reference="HD-1000",
                reporter_email="fred@example.org",
            )
        )

    def it_should_leave_the_original_open(self):
        expect(self.original.status).to(equal(IssueStatus.REPORTED))
        expect(self.original.merged_into).to(be_none)

    def it_should_tell_the_original_whose_duplicate_came_in(self):
        expect(self.original).to(
            have_raised(
                DuplicateMergedIn,
                issue_id=self.original.id,
                version=2,
                status=IssueStatus.REPORTED,
                duplicate_id=self.issue.id,
                duplicate_reference="HD-1042",
                reporter_name="Fred Bloggs",
                reporter_email="fred@example.org",
            )
        )
        expect(self.original.events).to(have_len(2))

    def it_should_make_the_duplicates_reporter_a_watcher_of_the_original(self):
        expect(self.original.watchers).to(equal(["fred@example.org"]))
        expect(self.original).to(
            have_raised(
                WatcherAdded,
                issue_id=self.original.id,
                version=3,
                actor=ALICE,
                email="fred@example.org",
            )
        )


class When_merging_a_duplicate_whose_reporter_watches_the_original(
    With_a_duplicate_and_its_original
):
    def given_fred_watches_the_original(self):
        self.original.add_watcher("fred@example.org", ALICE)
        self.original.events.clear()

    def because_alice_merges_it_into_the_original(self):
        self.issue.merge_into(self.original, ALICE)

    def it_should_not_add_him_again(self):
        expect(self.original.watchers).to(equal(["fred@example.org"]))
        expect([type(e) for e in self.original.events]).to(equal([DuplicateMergedIn]))


class With_a_watched_duplicate(With_a_duplicate_and_its_original):
    def given_jane_and_karl_watch_the_duplicate(self):
        self.issue.add_watcher("jane@example.org", ALICE)
        self.issue.add_watcher("karl@example.org", ALICE)
        self.issue.events.clear()


class When_merging_a_watched_duplicate(With_a_watched_duplicate):
    def because_alice_merges_it_into_the_original(self):
        self.issue.merge_into(self.original, ALICE)

    def it_should_make_its_reporter_and_watchers_the_originals_watchers(self):
        expect(self.original.watchers).to(
            equal(["fred@example.org", "jane@example.org", "karl@example.org"])
        )

    def it_should_raise_watcher_added_on_the_original_for_each(self):
        added = [e for e in self.original.events if isinstance(e, WatcherAdded)]
        expect([(e.issue_id, e.version, e.actor, e.email) for e in added]).to(
            equal(
                [
                    (self.original.id, 3, ALICE, "fred@example.org"),
                    (self.original.id, 4, ALICE, "jane@example.org"),
                    (self.original.id, 5, ALICE, "karl@example.org"),
                ]
            )
        )

    def it_should_name_on_the_duplicates_event_the_watchers_to_tell_of_the_merge(self):
        expect(self.issue).to(
            have_raised(
                IssueMerged,
                watchers=("jane@example.org", "karl@example.org"),
                into_resolution=None,
            )
        )

    def it_should_mark_each_watcher_added_as_the_merges_so_no_copied_mail_repeats_it(self):
        added = [e for e in self.original.events if isinstance(e, WatcherAdded)]
        expect({e.merged_from for e in added}).to(equal({self.issue.id}))

    def it_should_leave_the_duplicates_watchers_as_they_were(self):
        expect(self.issue.watchers).to(equal(["jane@example.org", "karl@example.org"]))


class When_merging_a_duplicate_whose_watchers_hear_of_the_original_already(
    With_a_watched_duplicate
):
    def given_jane_watches_the_original_and_karl_reported_it(self):
        self.original = report_an_issue(
            reference="HD-1000", reporter_name="Karl", reporter_email="KARL@example.org"
        )
        self.original.add_watcher("Jane@example.org", ALICE)
        self.original.events.clear()

    def because_alice_merges_it_into_the_original(self):
        self.issue.merge_into(self.original, ALICE)

    def it_should_add_only_the_duplicates_reporter(self):
        expect(self.original.watchers).to(equal(["Jane@example.org", "fred@example.org"]))
        expect([type(e) for e in self.original.events]).to(equal([DuplicateMergedIn, WatcherAdded]))


class When_merging_a_watched_duplicate_into_a_resolved_issue(With_a_watched_duplicate):
    def given_the_original_was_resolved(self):
        self.original.mark_as_resolved("Replaced the fuser.", ALICE)
        self.original.events.clear()

    def because_alice_merges_it_into_the_original(self):
        self.issue.merge_into(self.original, ALICE)

    def it_should_carry_them_all_and_leave_the_original_resolved(self):
        expect(self.original.watchers).to(
            equal(["fred@example.org", "jane@example.org", "karl@example.org"])
        )
        expect(self.original.status).to(equal(IssueStatus.RESOLVED))

    def it_should_tell_the_duplicates_followers_what_the_resolution_said(self):
        expect(self.issue).to(
            have_raised(
                IssueMerged,
                reporter_email="fred@example.org",
                watchers=("jane@example.org", "karl@example.org"),
                into_resolution="Replaced the fuser.",
            )
        )


class When_merging_a_duplicate_by_the_originals_own_reporter(With_a_reported_issue):
    def given_an_original_by_the_same_reporter(self):
        self.original = report_an_issue(reference="HD-1000")
        self.original.events.clear()

    def because_alice_merges_it_into_the_original(self):
        self.issue.merge_into(self.original, ALICE)

    def it_should_not_make_the_reporter_a_watcher(self):
        expect(self.original.watchers).to(equal([]))
        expect([type(e) for e in self.original.events]).to(equal([DuplicateMergedIn]))


class When_merging_an_issue_into_itself(TwoRefused, With_a_duplicate_and_its_original):
    def because_alice_picks_the_same_issue(self):
        self.error = catch(lambda: self.issue.merge_into(self.issue, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("cannot_merge_into_itself"))


class When_merging_into_a_closed_issue(TwoRefused, With_a_duplicate_and_its_original):
    def given_the_original_was_closed(self):
        self.original.mark_as_resolved("Done.", ALICE)
        self.original.close(ALICE)
        self.original.events.clear()

    def because_alice_merges_into_it(self):
        self.before = (snapshot(self.issue), snapshot(self.original))
        self.error = catch(lambda: self.issue.merge_into(self.original, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("merge_target_closed"))


class When_merging_a_closed_issue(TwoRefused, With_a_duplicate_and_its_original):
    def given_the_duplicate_was_closed(self):
        self.issue.mark_as_resolved("Done.", ALICE)
        self.issue.close(ALICE)
        self.issue.events.clear()

    def because_alice_merges_it(self):
        self.before = (snapshot(self.issue), snapshot(self.original))
        self.error = catch(lambda: self.issue.merge_into(self.original, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class With_an_original_that_was_merged_elsewhere(With_a_duplicate_and_its_original):
    def given_the_original_was_merged_into_a_third(self):
        self.third = report_an_issue(reference="HD-999")
        self.original.merge_into(self.third, ALICE)
        self.original.events.clear()
        self.third.events.clear()


class When_merging_into_a_merged_issue(TwoRefused, With_an_original_that_was_merged_elsewhere):
    def because_alice_merges_into_it(self):
        self.before = (snapshot(self.issue), snapshot(self.original))
        self.error = catch(lambda: self.issue.merge_into(self.original, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("merge_target_merged"))


class When_merging_back_into_an_issue_merged_into_this_one(
    TwoRefused, With_a_duplicate_and_its_original
):
    def given_the_original_was_merged_into_this_one(self):
        self.original.merge_into(self.issue, ALICE)
        self.original.events.clear()
        self.issue.events.clear()

    def because_alice_merges_this_one_back(self):
        self.before = (snapshot(self.issue), snapshot(self.original))
        self.error = catch(lambda: self.issue.merge_into(self.original, ALICE))

    def it_should_be_refused_as_a_cycle(self):
        expect(self.error).to(be_refused_with("merge_cycle"))
