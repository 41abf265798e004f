"""The staff queue: filters, text search, ordering, cursor pages, and its cost per page."""

import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from expects import be_none, be_true, equal, expect, have_keys, have_len

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.api.contexts import ISSUES, With_staff, make_user, report_an_issue, token_client

BOB = Actor.staff("bob")


class With_a_varied_queue(With_staff):
    def given_four_issues_in_different_states(self):
        bus = message_bus()
        self.printer = report_an_issue()
        self.vpn = report_an_issue(
            description="The VPN drops every hour.", category=None, priority=None
        )
        bus.handle(
            commands.TriageIssue(
                issue_id=self.vpn, category="network", priority="urgent", actor=BOB
            )
        )
        self.laptop = report_an_issue(
            reporter_name="Jane Doe",
            reporter_email="jane@example.org",
            description="Laptop.",
            priority="normal",
        )
        bus.handle(commands.AssignIssue(issue_id=self.laptop, assignee="bob", actor=BOB))
        self.old = report_an_issue(description="Old news.", priority="low")
        bus.handle(commands.MarkIssueAsResolved(issue_id=self.old, resolution="Gone.", actor=BOB))

    def ids(self, **query) -> list[str]:
        response = self.client.get(ISSUES, query)
        assert response.status_code == 200, response.json()
        return [issue["id"] for issue in response.json()["results"]]


def ids(*issue_ids) -> list[str]:
    return [str(issue_id) for issue_id in issue_ids]


@pytest.mark.django_db
class When_staff_list_the_queue_without_filters(With_a_varied_queue):
    def because_alice_gets_the_queue(self):
        self.response = self.client.get(ISSUES)
        self.body = self.response.json()

    def it_should_give_every_issue_newest_first(self):
        expect([i["id"] for i in self.body["results"]]).to(
            equal(ids(self.old, self.laptop, self.vpn, self.printer))
        )

    def it_should_have_no_other_pages(self):
        expect(self.body).to(have_keys(next=None, previous=None))

    def it_should_give_each_issues_summary_and_link(self):
        expect(self.body["results"][0]).to(
            have_keys(
                id=str(self.old),
                url=f"http://testserver/api/issues/{self.old}/",
                status="resolved",
                priority="low",
                version=2,
            )
        )


@pytest.mark.django_db
class When_staff_filter_the_queue(With_a_varied_queue):
    def because_alice_filters_it_every_way(self):
        self.results = {
            "status=reported": self.ids(status="reported"),
            "status=assigned,resolved": self.ids(status="assigned,resolved"),
            "category=network": self.ids(category="network"),
            "priority=urgent": self.ids(priority="urgent"),
            "assignee=bob": self.ids(assignee="bob"),
            "assignee=none": self.ids(assignee="none"),
            "q=vpn": self.ids(q="vpn"),
            "q=jane@": self.ids(q="jane@"),
            "q=Jane Doe": self.ids(q="Jane Doe"),
            "q=<reference>": self.ids(
                q=self.client.get(f"{ISSUES}{self.vpn}/").json()["reference"]
            ),
            "q=<number>": self.ids(
                q=self.client.get(f"{ISSUES}{self.vpn}/").json()["reference"].removeprefix("HD-")
            ),
            "status=reported&priority=high": self.ids(status="reported", priority="high"),
            "category=astrology": self.ids(category="astrology"),
        }

    def it_should_give_exactly_the_matching_issues(self):
        expect(self.results).to(
            equal(
                {
                    "status=reported": ids(self.printer),
                    "status=assigned,resolved": ids(self.old, self.laptop),
                    "category=network": ids(self.vpn),
                    "priority=urgent": ids(self.vpn),
                    "assignee=bob": ids(self.laptop),
                    "assignee=none": ids(self.old, self.vpn, self.printer),
                    "q=vpn": ids(self.vpn),
                    "q=jane@": ids(self.laptop),
                    "q=Jane Doe": ids(self.laptop),
                    "q=<reference>": ids(self.vpn),
                    "q=<number>": ids(self.vpn),
                    "status=reported&priority=high": ids(self.printer),
                    "category=astrology": [],
                }
            )
        )


@pytest.mark.django_db
class When_staff_ask_for_the_issues_without_a_priority(With_staff):
    def given_one_issue_with_a_priority_and_one_without(self):
        self.without = report_an_issue(priority=None)
        self.low = report_an_issue(priority="low")

    def because_alice_filters_by_priority_none(self):
        self.response = self.client.get(ISSUES, {"priority": "none"})

    def it_should_give_only_the_one_without(self):
        expect([i["id"] for i in self.response.json()["results"]]).to(equal(ids(self.without)))


@pytest.mark.django_db
class When_staff_search_for_a_whole_mail_address(With_staff):
    """A whole address means that reporter (from an index on the address); a part of one is
    still looked for inside every address."""

    def given_two_reporters_whose_addresses_end_alike(self):
        self.jane = report_an_issue(reporter_email="jane@example.org")
        self.mary_jane = report_an_issue(reporter_email="Mary.Jane@Example.org")

    def because_alice_searches_for_an_address_and_for_part_of_one(self):
        found = {}
        for q in ("JANE@example.ORG", "mary.jane@example.org", "jane@example"):
            found[q] = [i["id"] for i in self.client.get(ISSUES, {"q": q}).json()["results"]]
        self.found = found

    def it_should_find_that_reporters_issues_in_any_case(self):
        expect(self.found["JANE@example.ORG"]).to(equal(ids(self.jane)))
        expect(self.found["mary.jane@example.org"]).to(equal(ids(self.mary_jane)))

    def it_should_find_every_address_holding_a_part(self):
        expect(self.found["jane@example"]).to(equal(ids(self.mary_jane, self.jane)))


@pytest.mark.django_db
class When_staff_sort_the_queue(With_a_varied_queue):
    def because_alice_sorts_it_every_way(self):
        self.results = {
            ordering: self.ids(ordering=ordering)
            for ordering in (
                "reported_at",
                "-priority",
                "priority",
                "reference",
                "-reference",
                "-updated_at",
                "updated_at",
            )
        }

    def it_should_sort_oldest_first(self):
        expect(self.results["reported_at"]).to(
            equal(ids(self.printer, self.vpn, self.laptop, self.old))
        )

    def it_should_sort_most_urgent_first(self):
        expect(self.results["-priority"][:2]).to(equal(ids(self.vpn, self.printer)))

    def it_should_sort_least_urgent_first(self):
        expect(self.results["priority"][-2:]).to(equal(ids(self.printer, self.vpn)))

    def it_should_sort_by_reference_either_way(self):
        expect(self.results["-reference"]).to(equal(list(reversed(self.results["reference"]))))

    def it_should_sort_longest_untouched_first(self):
        expect(self.results["updated_at"]).to(equal(list(reversed(self.results["-updated_at"]))))

    def it_should_sort_by_reference(self):
        expect(self.results["reference"]).to(
            equal(ids(self.printer, self.vpn, self.laptop, self.old))
        )

    def it_should_sort_recently_updated_first(self):
        expect(self.results["-updated_at"][0]).to(equal(str(self.old)))


@pytest.mark.django_db
class When_staff_ask_the_queue_for_nonsense(With_staff):
    def because_alice_sends_bad_parameters(self):
        self.responses = {
            name: self.client.get(ISSUES, query)
            for name, query in {
                "status": {"status": "lost"},
                "priority": {"priority": "whenever"},
                "ordering": {"ordering": "-reporter_email"},
                "page_size": {"page_size": "1000"},
                "blank page_size": {"page_size": ""},
                "cursor": {"cursor": "bm90IGEgY3Vyc29y"},
            }.items()
        }

    def it_should_answer_400_on_each_parameter(self):
        expect({name: (r.status_code, list(r.json())) for name, r in self.responses.items()}).to(
            equal({name: (400, [name.split()[-1]]) for name in self.responses})
        )

    def it_should_explain_a_bad_cursor(self):
        expect(self.responses["cursor"].json()["cursor"]).to(
            equal(["This page link is not valid; start again from the first page."])
        )


@pytest.mark.django_db
class When_staff_page_through_the_queue(With_staff):
    def given_five_issues(self):
        self.issues = [report_an_issue(description=f"Issue {n}") for n in range(5)]
        self.issues.reverse()  # newest first

    def because_alice_follows_the_next_and_previous_links(self):
        self.first = self.client.get(ISSUES, {"page_size": 2, "status": "reported"}).json()
        self.second = self.client.get(self.first["next"]).json()
        self.third = self.client.get(self.second["next"]).json()
        self.back = self.client.get(self.second["previous"]).json()

    def it_should_give_each_issue_once_in_order(self):
        pages = [self.first, self.second, self.third]
        expect([i["id"] for page in pages for i in page["results"]]).to(equal(ids(*self.issues)))

    def it_should_give_full_links_that_keep_the_filters(self):
        link = urlsplit(self.first["next"])
        query = parse_qs(link.query)
        expect((link.scheme, link.netloc, link.path)).to(
            equal(("http", "testserver", "/api/issues/"))
        )
        expect((query["page_size"], query["status"], len(query["cursor"]))).to(
            equal((["2"], ["reported"], 1))
        )

    def it_should_have_no_previous_link_on_the_first_page(self):
        expect(self.first["previous"]).to(be_none)

    def it_should_have_no_next_link_on_the_last_page(self):
        expect((len(self.third["results"]), self.third["next"])).to(equal((1, None)))

    def it_should_go_back_to_the_first_page(self):
        expect([i["id"] for i in self.back["results"]]).to(
            equal([i["id"] for i in self.first["results"]])
        )


def store_issues(count: int) -> None:
    """Rows straight into the table: the read side is what is measured here."""
    now = timezone.now()
    IssueRecord.objects.bulk_create(
        IssueRecord(
            id=uuid.uuid4(),
            number=10_000 + n,
            reference=f"HD-{10_000 + n}",
            tracking_token=uuid.uuid4().hex,
            status="reported",
            reporter_name="Fred Bloggs",
            reporter_email="fred@example.org",
            description=f"Issue number {n}",
            category_id="printing",
            priority="normal",
            priority_rank=2,
            version=1,
            reported_at=now - timedelta(seconds=n),
            updated_at=now - timedelta(seconds=n),
        )
        for n in range(count)
    )


def queries_for_a_page(client, **query) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ISSUES, {"page_size": 50} | query)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 1000])
def test_a_page_of_the_queue_costs_the_same_few_queries_at_any_size(count):
    client = token_client(make_user("alice"))
    store_issues(count)
    first = client.get(ISSUES, {"page_size": 50}).json()

    queries, shown = queries_for_a_page(client)
    filtered, _ = queries_for_a_page(client, status="reported", q="number", ordering="-priority")

    # One to authenticate the token (with its user), one for the page: no COUNT, no per row.
    # SQLite first asks its words index for a search's first matches: the whole words, then
    # the last one's beginning (persistence.text_search.walks), a bounded number either way.
    search = 2 if connection.vendor == "postgresql" else (3, 4)
    expect((queries, shown)).to(equal((2, min(count, 50))))
    expect(filtered in (search if isinstance(search, tuple) else (search,))).to(be_true)
    if first["next"]:
        with CaptureQueriesContext(connection) as captured:
            client.get(first["next"])
        expect(captured.captured_queries).to(have_len(2))
