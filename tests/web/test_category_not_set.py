"""Open issues without a category ("Not set", the ones waiting for triage) in the queue: counted
in the side bar from events, listed by `?category=none`, offered by the Category filter."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import TestCase

from issues_adapters.persistence.models import Category
from issues_adapters.web import counts
from issues_adapters.web.models import QueueCount
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import issue_in, queue_ids, report, staff_client
from tests.web.test_queue_fragments import count_of, page

pytestmark = pytest.mark.django_db

ALICE = Actor.staff("alice")


def delivered():
    """The commands' events handed to the counts as after a real commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def category_options(html: str) -> list[str]:
    select = re.search(r'<select id="f-category".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


class With_an_issue_without_a_category:
    def given_one_issue_reported_without_and_one_triaged(self):
        self.client = staff_client("alice")
        with delivered():
            self.not_set = report(description="Nobody has looked at this yet")
            self.printing = issue_in("triaged")


class When_staff_open_the_queue(With_an_issue_without_a_category):
    def because_alice_opens_it_and_filters_by_not_set(self):
        self.html = page(self.client)
        self.listed = queue_ids(self.client.get("/staff/?view=open&category=none"))

    def it_should_count_it_under_not_set(self):
        assert re.search(
            r'<span>Not set</span> <span class="count" data-count="category:none">1</span>',
            self.html,
        )

    def it_should_count_every_open_issue_under_one_category(self):
        shown = counts.sidebar("alice")
        assert sum(shown["category"].values()) == shown["open"] == 2

    def it_should_list_it_alone(self):
        assert self.listed == [self.not_set]

    def it_should_offer_not_set_in_the_category_filter(self):
        assert "none" in category_options(self.html)


class When_it_is_triaged(With_an_issue_without_a_category):
    def because_alice_gives_it_a_category(self):
        with delivered():
            message_bus().handle(
                commands.TriageIssue(
                    issue_id=self.not_set, category="printing", priority="low", actor=ALICE
                )
            )
        self.html = page(self.client)
        self.listed = queue_ids(self.client.get("/staff/?view=open&category=none"))

    def it_should_move_to_its_category(self):
        assert counts.sidebar("alice")["category"] == {"printing": 2, "none": 0}
        assert count_of(self.html, "category:none") == 0
        assert count_of(self.html, "category:printing") == 2

    def it_should_no_longer_be_listed_as_not_set(self):
        assert self.listed == []


class When_it_is_resolved_reopened_and_closed(With_an_issue_without_a_category):
    def because_alice_resolves_reopens_resolves_and_closes_it(self):
        bus, self.seen = message_bus(), []
        steps = (
            commands.MarkIssueAsResolved(issue_id=self.not_set, resolution="Done.", actor=ALICE),
            commands.ReopenIssue(issue_id=self.not_set, reason="Not done.", actor=ALICE),
            commands.MarkIssueAsResolved(issue_id=self.not_set, resolution="Done.", actor=ALICE),
            commands.CloseIssue(issue_id=self.not_set, actor=ALICE),
        )
        for command in steps:
            with delivered():
                bus.handle(command)
            self.seen.append(counts.sidebar("alice")["category"].get("none"))

    def it_should_count_it_while_it_is_open(self):
        assert self.seen == [0, 1, 0, 0]


class When_the_migration_counts_the_issues_that_were_there_before_it:
    def given_issues_without_a_category_open_waiting_and_resolved(self):
        with delivered():
            report()
            waiting = report()
            bus = message_bus()
            bus.handle(commands.PickIssue(issue_id=waiting, engineer="alice"))
            bus.handle(commands.AwaitReporter(issue_id=waiting, comment="Which?", actor=ALICE))
            resolved = report()
            bus.handle(
                commands.MarkIssueAsResolved(issue_id=resolved, resolution="Done.", actor=ALICE)
            )
        QueueCount.objects.filter(key="category:none").delete()  # as counted before it

    def because_it_runs(self):
        migration = importlib.import_module(
            "issues_adapters.web.migrations.0007_category_not_set_count"
        )
        migration.count_not_set(apps, None)

    def it_should_count_the_open_ones_waiting_too(self):
        assert counts.sidebar("alice")["category"]["none"] == 2


class When_an_admin_names_a_category_none:
    def because_the_slug_is_checked(self):
        try:
            Category(slug="none", name="None").full_clean()
        except ValidationError as error:
            self.error = error
        else:
            self.error = None

    def it_should_refuse_it_for_it_means_not_set(self):
        assert self.error is not None and "slug" in self.error.message_dict
