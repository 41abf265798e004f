"""The queue's text search: words and the beginning of the last one, from the words index
(migration 0016: PostgreSQL's search_words column, SQLite's FTS5 table kept by triggers)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from expects import equal, expect

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_service.queries import QueueFilters
from tests.api.contexts import ISSUES, With_staff, report_an_issue
from tests.support.search import cut_short

SEARCHES = {
    "floor 7 jams": "floor",
    "FLOOR 7 JA": "floor",
    "printer": "floor printers mary",
    "Printers jammed": "printers",
    "jammed,": "printers",
    "jam": "floor printers",
    "rinter": "",
    "smudge": "toner",
    "mary": "mary",
    "example.net": "mary",
    "Mary O'Neill": "mary",
    "café": "cafe",
    "@@": "",
}


class With_issues_to_search(With_staff):
    def given_issues_with_words_alike(self):
        self.issues = {
            "floor": report_an_issue(description="The printer on floor 7 jams again."),
            "printers": report_an_issue(description="Printers jammed on floor 3."),
            "toner": report_an_issue(subject="Toner smudges", description="Grey stripes."),
            "mary": report_an_issue(
                reporter_name="Mary O'Neill", reporter_email="mary@example.net"
            ),
            "cafe": report_an_issue(description="The café's card reader is down."),
        }

    def found(self) -> dict[str, set[str]]:
        return {
            q: {str(i["id"]) for i in self.client.get(ISSUES, {"q": q}).json()["results"]}
            for q in SEARCHES
        }

    def expected(self) -> dict[str, set[str]]:
        return {
            q: {str(self.issues[name]) for name in names.split()} for q, names in SEARCHES.items()
        }


@pytest.mark.django_db
class When_staff_search_for_words(With_issues_to_search):
    """Whole words in order, the last one's beginning when the text ends inside it; the case
    and the punctuation between words do not matter; a part inside a word is not looked for."""

    def because_alice_searches(self):
        self.results = self.found()

    def it_should_find_the_issues_holding_those_words(self):
        expect(self.results).to(equal(self.expected()))


@pytest.mark.django_db
class When_a_search_is_broad(With_issues_to_search):
    """Past BROAD_SEARCH matches SQLite tests each issue of the page with a regular expression
    instead of reading the index's matches (text_search.walks): it finds the same issues."""

    def because_alice_searches_with_every_search_broad(self):
        with cut_short(broad_search=0):
            self.results = self.found()

    def it_should_find_the_same_issues(self):
        expect(self.results).to(equal(self.expected()))


@pytest.mark.django_db
class When_a_broad_search_walks_too_long(With_issues_to_search):
    """Past WALK_STEPS of walking the view without filling its page SQLite stops, and reads the
    words index's matches instead (text_search.read_walking): it finds the same issues."""

    def because_alice_searches_with_every_walk_cut_short(self):
        with (
            cut_short(broad_search=0, walk_steps=1),
            CaptureQueriesContext(connection) as sent,
        ):
            self.results = self.found()
            self.sent = [query["sql"] for query in sent.captured_queries]

    def it_should_find_the_same_issues(self):
        expect(self.results).to(equal(self.expected()))

    def it_should_read_each_page_from_the_words_index(self):
        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL's planner chooses between the walk and the index")
        pages = [sql for sql in self.sent if "ORDER BY" in sql and 'FROM "issues_issue"' in sql]
        from_index = [sql for sql in pages if "issue_words MATCH" in sql]
        with_words = [q for q in SEARCHES if any(c.isalnum() for c in q)]
        expect(len(from_index)).to(equal(len(with_words)))


@pytest.mark.django_db
class When_the_same_walk_runs_again_and_again(With_issues_to_search):
    """Each walk's steps are counted from its start (text_search.read_walking): SQLite's own count
    for a kept prepared statement runs on from its earlier runs, and a budget read from it cut
    every so many walks short however short each one was."""

    def because_alice_searches_two_hundred_times(self):
        with (
            cut_short(broad_search=0, walk_steps=5_000),  # some hundred steps a walk here
            CaptureQueriesContext(connection) as sent,
        ):
            for _ in range(200):
                self.client.get(ISSUES, {"q": "printer"})
            self.sent = [query["sql"] for query in sent.captured_queries]

    def it_should_walk_every_time(self):
        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL's planner chooses between the walk and the index")
        walks = [sql for sql in self.sent if "ORDER BY" in sql and "REGEXP" in sql]
        from_index = [sql for sql in self.sent if "ORDER BY" in sql and "MATCH" in sql]
        expect((len(walks), len(from_index))).to(equal((200, 0)))


@pytest.mark.django_db
class When_staff_page_through_a_search_whose_issues_are_old(With_staff):
    """A search's matches all far down the view's order: read by walking the view or from the
    words index, its pages and their links are the same."""

    def given_old_matches_then_many_newer_issues(self):
        self.old = [report_an_issue(description=f"Toner smudge {n}.") for n in range(7)]
        for n in range(12):
            report_an_issue(description=f"Printer jam {n}.")

    def pages(self) -> list[list[str]]:
        pages, url, query = [], ISSUES, {"q": "toner", "page_size": 3}
        while url:
            body = self.client.get(url, query).json()
            pages.append([issue["id"] for issue in body["results"]])
            url, query = body["next"], None
        return pages

    def because_alice_pages_through_it_both_ways(self):
        every_toner = QueueFilters(q="toner", status="reported", page_size=3)
        with cut_short(broad_search=0):
            self.walked = self.pages()
            self.chosen_walking = DjangoIssueQueries().matching(every_toner, 5)
        with cut_short(broad_search=0, walk_steps=1):
            self.from_index = self.pages()
            self.chosen_from_index = DjangoIssueQueries().matching(every_toner, 5)

    def it_should_list_the_old_issues_newest_first_three_a_page(self):
        newest_first = [str(issue) for issue in reversed(self.old)]
        expect(self.walked).to(equal([newest_first[:3], newest_first[3:6], newest_first[6:]]))

    def it_should_list_the_same_pages_either_way(self):
        expect(self.from_index).to(equal(self.walked))

    def it_should_choose_the_same_first_issues_for_a_bulk_action_either_way(self):
        newest_five = list(reversed(self.old))[:5]
        expect([issue.id for issue in self.chosen_walking]).to(equal(newest_five))
        expect(self.chosen_from_index).to(equal(self.chosen_walking))


@pytest.mark.django_db
class When_a_searchs_newest_match_is_beyond_a_walks_reach(With_staff):
    """Newest first, a broad search whose newest match was reported more than WALK_ISSUES issues
    ago is read from the words index, as a walk would only be cut short
    (text_search.out_of_reach); oldest first, or with that match in reach, it walks."""

    def given_old_matches_then_six_newer_issues(self):
        self.old = [str(report_an_issue(description=f"Toner jam {n}.")) for n in range(4)]
        for n in range(6):
            report_an_issue(description=f"Printer jam {n}.")

    def read(self, **query) -> tuple[list[str], list[str]]:
        with CaptureQueriesContext(connection) as sent:
            found = self.client.get(ISSUES, {"q": "toner jam", **query}).json()["results"]
        pages = [q["sql"] for q in sent.captured_queries if 'FROM "issues_issue"' in q["sql"]]
        how = ["walked" if "REGEXP" in sql else "from the index" for sql in pages]
        return [issue["id"] for issue in found], how

    def because_alice_searches_newest_first_and_oldest_first(self):
        with cut_short(broad_search=0, walk_issues=5):  # the newest match is 6 issues back
            self.newest_first = self.read()
            self.oldest_first = self.read(ordering="reported_at")
        with cut_short(broad_search=0, walk_issues=6):
            self.in_reach = self.read()

    def it_should_read_the_newest_first_from_the_words_index(self):
        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL's planner chooses between the walk and the index")
        expect(self.newest_first).to(equal((self.old[::-1], ["from the index"])))

    def it_should_walk_oldest_first(self):
        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL's planner chooses between the walk and the index")
        expect(self.oldest_first).to(equal((self.old, ["walked"])))

    def it_should_walk_newest_first_when_the_match_is_in_reach(self):
        if connection.vendor != "sqlite":
            pytest.skip("PostgreSQL's planner chooses between the walk and the index")
        expect(self.in_reach).to(equal((self.old[::-1], ["walked"])))


@pytest.mark.django_db
class When_an_issue_changes_or_goes(With_issues_to_search):
    """The words index follows every write to the issue table (SQLite: its triggers)."""

    def because_its_text_changes_and_another_is_deleted(self):
        IssueRecord.objects.filter(id=self.issues["floor"]).update(
            subject="Slow scanner", description="The scanner on floor 2 is slow."
        )
        IssueRecord.objects.filter(id=self.issues["toner"]).delete()
        self.found_now = {
            q: [i["id"] for i in self.client.get(ISSUES, {"q": q}).json()["results"]]
            for q in ("scanner", "floor 7 jams", "smudges")
        }

    def it_should_find_it_by_its_new_words_only(self):
        expect(self.found_now["scanner"]).to(equal([str(self.issues["floor"])]))
        expect(self.found_now["floor 7 jams"]).to(equal([]))

    def it_should_not_find_the_deleted_one(self):
        expect(self.found_now["smudges"]).to(equal([]))
