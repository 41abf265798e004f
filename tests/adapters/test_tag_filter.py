"""The queue's tag filter: a page and its capped "all matching" count hold exactly the view's
issues with the tag, on each database (queries._tagged reads them differently on each), also
as tagged issues end and reopen (the tag rows say whether their issue is open)."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.http import QueryDict
from expects import equal, expect

from issues_adapters.persistence.models import TagRecord
from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.web.views.staff import filters_from
from issues_adapters.wiring import message_bus
from issues_domain.commands import (
    AssignIssue,
    MarkIssueAsResolved,
    MergeIssue,
    ReopenIssue,
    TagIssue,
)
from tests.adapters.contexts import ALICE, make_staff, report_an_issue

pytestmark = pytest.mark.django_db
migration_0018 = importlib.import_module(
    "issues_adapters.persistence.migrations.0018_tag_rows_know_whether_their_issue_is_open"
)


def _tagged(*tags):
    issue_id = report_an_issue()
    message_bus().handle(TagIssue(issue_id=issue_id, actor=ALICE, add=tags))
    return issue_id


def _resolve(issue_id):
    message_bus().handle(MarkIssueAsResolved(issue_id=issue_id, resolution="Done.", actor=ALICE))


def _found(params: str, at_most: int = 501) -> tuple[set, int]:
    filters, _chosen = filters_from(QueryDict(params), "alice")
    queries = DjangoIssueQueries()
    return {issue.id for issue in queries.queue(filters).issues}, queries.count_matching(
        filters, at_most
    )


class When_filtering_the_queue_by_a_tag:
    @pytest.fixture(autouse=True)
    def given_open_and_resolved_issues_with_and_without_the_tag(self):
        self.both = _tagged("vip", "on-site")
        self.open_on_site = {_tagged("on-site"), self.both, _tagged("on-site")}
        self.resolved_on_site = _tagged("on-site")
        _resolve(self.resolved_on_site)
        self.vip_only = _tagged("vip")
        self.untagged = report_an_issue()

    def it_should_list_and_count_the_open_issues_with_the_tag(self):
        expect(_found("tag=on-site")).to(equal((self.open_on_site, 3)))

    def it_should_cap_the_count(self):
        expect(_found("tag=on-site", at_most=2)[1]).to(equal(2))

    def it_should_list_and_count_every_issue_with_the_tag_in_everything(self):
        everything = self.open_on_site | {self.resolved_on_site}
        expect(_found("view=all&tag=on-site")).to(equal((everything, 4)))

    def it_should_combine_the_tag_with_the_views_other_filters(self):
        expect(_found("view=resolved&tag=on-site")).to(equal(({self.resolved_on_site}, 1)))
        expect(_found("tag=vip")).to(equal(({self.both, self.vip_only}, 2)))

    def it_should_find_nothing_for_a_tag_nobody_holds(self):
        expect(_found("tag=outage")).to(equal((set(), 0)))


class When_tagged_issues_end_and_reopen:
    def given_tagged_issues_resolved_merged_and_reopened(self):
        make_staff("alice")
        self.stays_open = _tagged("on-site")
        self.reopened = _tagged("on-site")
        _resolve(self.reopened)
        message_bus().handle(ReopenIssue(issue_id=self.reopened, reason="Again.", actor=ALICE))
        message_bus().handle(AssignIssue(issue_id=self.reopened, assignee="alice", actor=ALICE))
        self.merged = _tagged("on-site")
        message_bus().handle(
            MergeIssue(issue_id=self.merged, into=str(self.stays_open), actor=ALICE)
        )
        self.tagged_once_resolved = report_an_issue()
        _resolve(self.tagged_once_resolved)
        message_bus().handle(
            TagIssue(issue_id=self.tagged_once_resolved, actor=ALICE, add=("on-site",))
        )

    def it_should_list_and_count_the_open_ones_only(self):
        expect(_found("tag=on-site")).to(equal(({self.stays_open, self.reopened}, 2)))

    def it_should_mark_each_tag_row_with_whether_its_issue_is_open(self):
        marked = dict(TagRecord.objects.values_list("issue_id", "issue_open"))
        expect(marked).to(
            equal(
                {
                    self.stays_open: True,
                    self.reopened: True,
                    self.merged: False,
                    self.tagged_once_resolved: False,
                }
            )
        )

    def it_should_count_the_open_ones_of_a_view_with_other_filters(self):
        expect(_found("view=mine&tag=on-site")).to(equal(({self.reopened}, 1)))

    def it_should_count_every_one_in_everything(self):
        expect(_found("view=all&tag=on-site")[1]).to(equal(4))


class When_migrating_tag_rows_written_before_they_said_whether_their_issue_is_open:
    def given_rows_all_marked_as_if_their_issues_had_ended(self):
        self.open_issue = _tagged("vip")
        self.resolved = _tagged("vip")
        _resolve(self.resolved)
        TagRecord.objects.update(issue_open=False)  # what AddField's default leaves

    def because_the_migration_marks_them(self):
        migration_0018.mark_the_open_issues_tags(django_apps, None)

    def it_should_mark_the_open_issues_rows_only(self):
        marked = dict(TagRecord.objects.values_list("issue_id", "issue_open"))
        expect(marked).to(equal({self.open_issue: True, self.resolved: False}))
