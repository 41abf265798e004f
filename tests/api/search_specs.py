"""The queue's text search: words and the beginning of the last one, from the words index
(migration 0016: PostgreSQL's search_words column, SQLite's FTS5 table kept by triggers)."""

import pytest
from expects import equal, expect

from issues_adapters.persistence import queries
from issues_adapters.persistence.models import IssueRecord
from tests.api.contexts import ISSUES, With_staff, report_an_issue

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
    instead of reading the index's matches (queries._holding): it finds the same issues."""

    def given_every_search_is_broad(self, monkeypatch=None):
        self.was = queries.BROAD_SEARCH
        queries.BROAD_SEARCH = 0

    def because_alice_searches(self):
        try:
            self.results = self.found()
        finally:
            queries.BROAD_SEARCH = self.was

    def it_should_find_the_same_issues(self):
        expect(self.results).to(equal(self.expected()))


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
