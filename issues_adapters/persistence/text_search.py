"""The queue's text search: a reference, a reporter's address, or words and the beginning of
the last one (lookups.Words), from the words index of migration 0016 or, for a search that many
issues match on SQLite, tested on each issue as a view is read in order."""

import dataclasses
import itertools
import re
import sqlite3
from collections.abc import Callable

from django.db import OperationalError, connection
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Upper
from django.db.models.lookups import Exact, IRegex

from issues_adapters.persistence import lookups
from issues_adapters.persistence.models import REFERENCE_PREFIX, IssueRecord

IssueRecord._meta.get_field("number").register_lookup(lookups.MatchesWords)

# "HD-1005", "hd1005" and "1005" all name issue number 1005.
_REFERENCE = re.compile(rf"(?:{re.escape(REFERENCE_PREFIX.rstrip('-'))}-?)?(\d{{1,18}})", re.I)
# A whole mail address, "person@example.org": the search means that reporter.
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def holding_text(text: str, *, walk: bool) -> Q:
    """The issues whose reference, reporter or text holds `text`. A whole mail address finds
    that reporter's issues (their address, any case) from an index on it: looking for its
    words too read the index's lists of the domain's words (10 ms at 1,000,000 issues, all at
    one domain). Text is looked for as words and the beginning of the last one
    (lookups.Words), in the words index: looking for it inside every column read the trigram
    indexes' lists for the trigrams it shares with the others, a cost that grew with the
    helpdesk (bench/queue_page.py, "search: name"). Punctuation alone finds nothing."""
    reference = _REFERENCE.fullmatch(text)
    found = Q(number=int(reference.group(1))) if reference else Q(pk__in=[])
    if _ADDRESS.fullmatch(text):
        return found | Q(Exact(Upper("reporter_email"), Upper(Value(text))))
    words = lookups.Words.of(text)
    if words.words:
        found |= _holding(words, walk=walk)
    return found


# A search finding more issues than this is broad: see walks.
BROAD_SEARCH = 500
INDEXED_BEGINNINGS = {2, 3, 4}  # the lengths of words' beginnings SQLite's index holds


def walks(text: str, *, newest_first: bool = False) -> bool:
    """Whether a search for `text` tests each issue of a view as it is read in order, rather
    than reading the words index's matches (_holding). PostgreSQL's planner chooses that by the
    words' statistics; SQLite's reads the FTS table's matches whole and sorts them, a cost that
    grows with the matches (a search holding a ninth of a million issues: 50 ms), or tests each
    issue with FTS5 (0.4 ms an issue); so here it is chosen by counting the first
    BROAD_SEARCH + 1 matches: fewer, and they are read whole; more, and each issue of the page
    is tested by a regular expression as the index would (Words.pattern), for at most
    WALK_STEPS (read_walking). FTS5 finds a phrase's first matches lazily, but gathers every match
    of a word's beginning before the first unless the beginning's length is indexed (migration
    0016): for a longer one the whole words are asked first ("printer"*: 30 ms at 1,000,000;
    "printer": 0.3 ms). A view read `newest_first` is not walked when even the newest match
    lies beyond the walk's reach (out_of_reach)."""
    if connection.vendor != "sqlite":
        return False
    words = lookups.Words.of(text)
    if _ADDRESS.fullmatch(text) or not words.words:
        return False
    if words.last_is_prefix and len(words.words[-1]) not in INDEXED_BEGINNINGS:
        return broad(dataclasses.replace(words, last_is_prefix=False)) or broad(words)
    return broad(words) and not (newest_first and out_of_reach(words))


def _holding(words: lookups.Words, *, walk: bool) -> Q:
    """The issues holding `words`: from the words index, or (`walk`, SQLite) tested one by
    one."""
    if not walk:
        return Q(number__matches_words=words)
    text = _SearchedText("reporter_name", "reporter_email", "subject", "description")
    found = Q(IRegex(text, Value(words.pattern())))
    if like := words.like():  # SQLite's LIKE, in C, passes a tenth of the rows to Python's re
        found = Q(lookups.Like(text, Value(like))) & found
    return found


class _SearchedText(Func):
    """The columns a search reads as one text, for one test an issue (SQLite): a unit
    separator, which nobody types, between them (SQLite's LIKE ends a text at a NUL). None of
    them is ever NULL, so they are joined by plain || : Django's Concat wraps each pair in
    COALESCE, and building and compiling that took a broad search's page 3.3 ms against 2.3
    (SQLite, 1,000,000 issues, "search: name", both taking turns in one process)."""

    arg_joiner = " || char(31) || "
    template = "(%(expressions)s)"
    output_field = TextField()


# The steps of SQLite's virtual machine a walking search may take: about WALK_ISSUES issues
# tested (see read_walking).
WALK_STEPS = 350_000
WALK_ISSUES = 20_000


def read_walking(read: Callable[[bool], list[dict]]) -> list[dict]:
    """A walking search's rows (walks): `read(walk=True)`, unless its statements take more
    than WALK_STEPS; then `read(walk=False)`, the words index's matches looked up and
    sorted. A walk is quick when the matches are spread through the view's order, and reads the
    whole view when they lie far down it: "Issue 55" over everything at 1,000,000 issues, whose
    11,111 matches are all among the older ones, took 538 ms; now 46 ms ("Issue 5", 111,111
    matches: 1.5 s, now 286 ms; the bench's searches as before)."""
    connection.ensure_connection()
    sqlite = connection.connection
    # SQLite calls the handler each time a statement's count of steps passes a multiple of the
    # number given, a count a kept prepared statement carries over from its earlier runs: so
    # the steps are counted here, from now, a thousand at a time (a lone handler at
    # WALK_STEPS cut every 57th walk short, 8 ms becoming 530 ms).
    every = min(WALK_STEPS, 1000)
    calls = itertools.count(1)
    sqlite.set_progress_handler(lambda: next(calls) * every >= WALK_STEPS, every)
    try:
        return read(True)
    except (OperationalError, sqlite3.OperationalError) as error:  # the latter: DEBUG's logging
        if "interrupted" not in str(error):
            raise
    finally:
        sqlite.set_progress_handler(None, 0)
    return read(False)


def out_of_reach(words: lookups.Words) -> bool:
    """Whether the newest issue holding `words` was reported more than WALK_ISSUES issues
    before the newest one, so that walking a view newest first would spend WALK_STEPS and find
    nothing. The words index's rows are the issues' numbers, given in the order issues are
    reported, and FTS5 reads its matches from the highest one. A guess, which only chooses how
    the same page is read: "Issue 55" over everything at 1,000,000 issues, whose newest match
    is 440,000 issues back, took 53 ms (bench/queue_page.py, "search: old issues only")."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(number) FROM {IssueRecord._meta.db_table}) - (SELECT rowid "
            "FROM issue_words WHERE issue_words MATCH %s ORDER BY rowid DESC LIMIT 1)",
            [words.fts5_query()],
        )
        (behind,) = cursor.fetchone()
    return behind is not None and behind > WALK_ISSUES


def broad(words: lookups.Words) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT rowid FROM issue_words WHERE issue_words MATCH %s "
            "LIMIT %s)",
            [words.fts5_query(), BROAD_SEARCH + 1],
        )
        return cursor.fetchone()[0] > BROAD_SEARCH
