"""A search on PostgreSQL holding a word most issues have looks up its other words in the words
index and tests each issue found for them all (lookups.MatchesWords, persistence.common_words):
it finds what the whole search finds, without reading the common word's list in the index."""

import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from expects import be_none, contain, equal, expect

from issues_adapters.persistence import common_words
from issues_adapters.persistence.lookups import Words
from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.web.views.staff import filters_from
from tests.adapters.contexts import report_an_issue

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's words index; runs in the PostgreSQL pass of `make test`",
    ),
]


@pytest.fixture(autouse=True, scope="module")
def _read_the_common_words_again_after():
    yield
    common_words.forget()  # this module's statistics are rolled back with its issues


def _found(q: str) -> tuple[list, list[str]]:
    filters, _chosen = filters_from(QueryDict(f"view=all&q={q}"), "alice")
    with CaptureQueriesContext(connection) as captured:
        issues = DjangoIssueQueries().queue(filters).issues
    return [issue.id for issue in issues], [query["sql"] for query in captured]


def _index_conditions(sql: str) -> str:
    with connection.cursor() as cursor:
        # A few dozen rows are best read whole, or in order: asked to use neither, the planner
        # shows what it asks the words index, as it does at a million issues.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_indexscan = on")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, conditions = [plan[0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        conditions.append(node.get("Index Cond", ""))
        nodes.extend(node.get("Plans", []))
    return " ".join(conditions)


class When_a_search_holds_a_word_most_issues_have:
    def given_issues_that_all_say_issue_and_statistics_of_their_words(self):
        for number in range(40):
            report_an_issue(description=f"Issue {number}: the scanner is slow.")
        self.phrase = report_an_issue(description="Issue 777: the toner smudges.")
        self.elsewhere = report_an_issue(description="Toner 777 smudges on the issue tray.")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE issues_issue")
        common_words.forget()

    def because_staff_search_for_the_phrase(self):
        self.found, self.sent = _found("Issue 777:")
        self.together, _sent = _found("777")

    def it_should_know_the_common_word(self):
        expect(common_words.common_words(connection)).to(contain("issue"))

    def it_should_find_the_issue_holding_the_phrase_only(self):
        expect(self.found).to(equal([self.phrase]))
        expect(set(self.together)).to(equal({self.phrase, self.elsewhere}))

    def it_should_look_up_only_the_rarer_word_in_the_index(self):
        (search,) = [sql for sql in self.sent if '"issues_issue".search_words' in sql]
        conditions = _index_conditions(search)
        expect(conditions).to(contain("'777'"))
        expect(conditions).not_to(contain("issue"))


class When_a_search_has_no_common_word_or_only_common_ones:
    def it_should_ask_the_index_for_every_word(self):
        common = frozenset({"issue", "the"})
        expect(Words.of("toner 777").tsquery_without(common)).to(be_none)
        expect(Words.of("the issue.").tsquery_without(common)).to(be_none)

    def it_should_keep_a_words_beginning_and_the_rarer_words(self):
        common = frozenset({"issue", "the"})
        expect(Words.of("Issue 777:").tsquery_without(common)).to(equal("'777'"))
        expect(Words.of("the Issue 77").tsquery_without(common)).to(equal("'77':*"))
        expect(Words.of("the toner smu").tsquery_without(common)).to(equal("'toner' & 'smu':*"))
