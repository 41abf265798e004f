"""The queue's tag filter: a page and its capped "all matching" count hold exactly the view's
issues with the tag, on each database (queries._tagged reads them differently on each)."""

import pytest
from django.http import QueryDict
from expects import equal, expect

from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.web.views.staff import filters_from
from issues_adapters.wiring import message_bus
from issues_domain.commands import MarkIssueAsResolved, TagIssue
from tests.adapters.contexts import ALICE, report_an_issue

pytestmark = pytest.mark.django_db


def _tagged(*tags):
    issue_id = report_an_issue()
    message_bus().handle(TagIssue(issue_id=issue_id, actor=ALICE, add=tags))
    return issue_id


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
        message_bus().handle(
            MarkIssueAsResolved(issue_id=self.resolved_on_site, resolution="Done.", actor=ALICE)
        )
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
