"""Tagging, merging and linking through the bus: one unit of work, every issue it changed
stored with its events in one commit, or nothing stored at all."""

from expects import be_true, contain, equal, expect

from issues_domain import commands
from issues_domain.events import (
    DuplicateMergedIn,
    IssueMerged,
    IssuesLinked,
    IssueTagged,
    WatcherAdded,
)
from issues_domain.values import IssueStatus
from tests.matchers import be_refused_with, catch, have_raised
from tests.service.contexts import (
    ALICE,
    Refused,
    With_a_closed_issue,
    With_a_reported_issue,
    report_command,
)


class When_handling_tag_issue(With_a_reported_issue):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.TagIssue(issue_id=self.issue_id, add=("printer",), remove=(), actor=ALICE)
        )

    def it_should_store_the_tags(self):
        expect(self.stored.tags).to(equal(["printer"]))

    def it_should_record_issue_tagged(self):
        expect(self.uow.recorded_events()).to(have_raised(IssueTagged, added=("printer",)))


class When_handling_tag_issue_for_a_closed_issue(Refused, With_a_closed_issue):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.TagIssue(issue_id=self.issue_id, add=("x",), actor=ALICE)
            )
        )

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class With_a_duplicate(With_a_reported_issue):
    def given_an_original(self):
        self.original_id = self.bus.handle(report_command(reporter_email="ann@example.org"))
        self.original_reference = self.uow.issues.stored[self.original_id].reference
        self.settle()


class When_handling_merge_issue_by_reference(With_a_duplicate):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.MergeIssue(issue_id=self.issue_id, into=self.original_reference, actor=ALICE)
        )

    def it_should_commit_once(self):
        expect(self.uow.committed).to(be_true)

    def it_should_store_the_duplicate_closed_and_merged(self):
        expect((self.stored.status, self.stored.merged_into)).to(
            equal((IssueStatus.CLOSED, self.original_id))
        )

    def it_should_record_both_issues_events_in_that_commit(self):
        recorded = self.uow.recorded_events()
        expect(recorded).to(have_raised(IssueMerged, issue_id=self.issue_id))
        expect(recorded).to(
            have_raised(DuplicateMergedIn, issue_id=self.original_id, duplicate_id=self.issue_id)
        )

    def it_should_record_the_duplicates_reporter_as_the_targets_watcher_in_that_commit(self):
        recorded = self.uow.recorded_events()
        expect(recorded).to(have_raised(WatcherAdded, issue_id=self.original_id))
        expect(self.uow.issues.stored[self.original_id].watchers).to(
            equal([self.stored.reporter.email])
        )

    def it_should_store_the_target_at_its_new_version(self):
        # DuplicateMergedIn, then WatcherAdded for the duplicate's reporter.
        expect(self.uow.issues.stored[self.original_id].version).to(equal(3))


class When_handling_merge_issue_of_a_watched_duplicate(With_a_duplicate):
    def given_jane_watches_the_duplicate(self):
        self.bus.handle(
            commands.AddWatcher(issue_id=self.issue_id, email="jane@example.org", actor=ALICE)
        )
        self.settle()

    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.MergeIssue(issue_id=self.issue_id, into=self.original_reference, actor=ALICE)
        )

    def it_should_store_the_duplicates_reporter_and_watcher_as_the_targets_watchers(self):
        expect(self.uow.issues.stored[self.original_id].watchers).to(
            equal(["fred@example.org", "jane@example.org"])
        )

    def it_should_record_a_watcher_added_on_the_target_for_each_in_that_commit(self):
        added = [e for e in self.uow.recorded_events() if isinstance(e, WatcherAdded)]
        expect([(e.issue_id, e.email) for e in added]).to(
            equal(
                [
                    (self.original_id, "fred@example.org"),
                    (self.original_id, "jane@example.org"),
                ]
            )
        )


class When_handling_merge_issue_by_id(With_a_duplicate):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.MergeIssue(issue_id=self.issue_id, into=str(self.original_id), actor=ALICE)
        )

    def it_should_merge(self):
        expect(self.stored.merged_into).to(equal(self.original_id))


class When_merging_into_an_unknown_issue(Refused, With_a_duplicate):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.MergeIssue(issue_id=self.issue_id, into="HD-9999", actor=ALICE)
            )
        )

    def it_should_be_refused_as_not_found(self):
        expect(self.error).to(be_refused_with("issue_not_found"))


class When_merging_into_itself_through_the_bus(Refused, With_a_duplicate):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.MergeIssue(issue_id=self.issue_id, into=str(self.issue_id), actor=ALICE)
            )
        )

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("cannot_merge_into_itself"))


class When_handling_link_issues(With_a_duplicate):
    def because_the_bus_handles_it(self):
        self.bus.handle(
            commands.LinkIssues(issue_id=self.issue_id, other=self.original_reference, actor=ALICE)
        )

    def it_should_store_the_link_on_both(self):
        expect(list(self.stored.links)).to(equal([self.original_id]))
        expect(list(self.uow.issues.stored[self.original_id].links)).to(equal([self.issue_id]))

    def it_should_record_a_link_event_for_each(self):
        issue_ids = [e.issue_id for e in self.uow.recorded_events() if isinstance(e, IssuesLinked)]
        expect(issue_ids).to(contain(self.issue_id, self.original_id))


class When_handling_unlink_issues_that_are_not_linked(Refused, With_a_duplicate):
    def because_the_bus_handles_it(self):
        self.error = catch(
            lambda: self.bus.handle(
                commands.UnlinkIssues(
                    issue_id=self.issue_id, other=str(self.original_id), actor=ALICE
                )
            )
        )

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("not_linked"))
