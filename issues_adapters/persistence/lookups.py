"""Lookups the queue's statements need that Django does not write as wanted.

`status__in_statuses`: SQL `IN` with the statuses written into the statement, not bound.
SQLite uses a partial index (the open issues' indexes, `status IN ('reported', ...)`) only when
the query's condition is the index's own, literals and all; with Django's bound `__in` it read
and sorted every open issue of a view instead (bench/queue_page.py --sqlite). Only IssueStatus
values are written in, so nothing anybody typed ever reaches the SQL. PostgreSQL plans the
same either way (its driver sends the values written in too).

`number__matches_words`: the issues holding some words, from the words index."""

import re
from dataclasses import dataclass

from django.db.models import CharField, Lookup

from issues_adapters.persistence.common_words import common_words
from issues_domain.values import IssueStatus


@CharField.register_lookup
class InStatuses(Lookup):
    lookup_name = "in_statuses"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        statuses = ", ".join(f"'{IssueStatus(value).value}'" for value in self.rhs)
        return f"{column} IN ({statuses})", params


def all_statuses(values: list[str]) -> bool:
    return bool(values) and all(value in IssueStatus._value2member_map_ for value in values)


class MatchesWords(Lookup):
    """`number__matches_words=Words(...)`: the issues holding those words, read from the words
    index of migration 0016 (PostgreSQL's `search_words` column beside the number, SQLite's
    FTS5 table whose rows are the issues' numbers). Both are outside the model: neither
    database can build the other's."""

    lookup_name = "matches_words"
    prepare_rhs = False

    def as_postgresql(self, compiler, connection):
        words = f"{compiler.quote_name_unless_alias(self.lhs.alias)}.search_words"
        found = f"{words} @@ to_tsquery('simple', %s)"
        rarer = self.rhs.tsquery_without(common_words(connection))
        if rarer is None:
            return found, [self.rhs.tsquery()]
        # The index finds the issues holding the rarer words, and each one's row is tested for
        # them all (ts_match_vq is @@, which no index serves): the index read the list of a
        # word in most issues at each issue it found ("Issue 777:" at 1,000,000 issues: 2.3
        # against 0.3 ms; bench/queue_page.py, "search: text, everything").
        return f"{found} AND ts_match_vq({words}, to_tsquery('simple', %s))", [
            rarer,
            self.rhs.tsquery(),
        ]

    def as_sqlite(self, compiler, connection):
        number, params = self.process_lhs(compiler, connection)
        matching = "SELECT rowid FROM issue_words WHERE issue_words MATCH %s"
        return f"{number} IN ({matching})", [*params, self.rhs.fts5_query()]


class Like(Lookup):
    """SQL LIKE with the pattern as given (Django escapes its own patterns' wildcards)."""

    lookup_name = "like_pattern"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


@dataclass(frozen=True)
class Words:
    """What a search asks for as the words index holds it: the runs of letters and digits of
    the text, in that order, next to each other (punctuation between them ignored), the last
    one a word's beginning when the text ends inside it ("printer jam" finds "printer jams";
    "Issue 777:" only "Issue 777")."""

    words: tuple[str, ...]
    last_is_prefix: bool

    @classmethod
    def of(cls, text: str) -> "Words":
        return cls(tuple(_WORD.findall(text)), _WORD.match(text[-1:]) is not None)

    def tsquery(self) -> str:
        # Letters and digits: nothing to escape.
        words = [f"'{word}'" for word in self.words]
        return " <-> ".join(words) + (":*" if self.last_is_prefix else "")

    def tsquery_without(self, common: frozenset[str]) -> str | None:
        """A tsquery of the words but the `common` ones (a beginning is never one), or None
        when that leaves all of them or none."""
        beginning = len(self.words) - 1 if self.last_is_prefix else None
        kept = [
            f"'{word}'" + (":*" if n == beginning else "")
            for n, word in enumerate(self.words)
            if n == beginning or word.lower() not in common
        ]
        return " & ".join(kept) if 0 < len(kept) < len(self.words) else None

    def fts5_query(self) -> str:
        words = [f'"{word}"' for word in self.words]
        return " + ".join(words) + ("*" if self.last_is_prefix else "")

    def pattern(self) -> str:
        """A regular expression finding the same words, any case, in columns joined by \\x1f."""
        edge = "(?![^\\W_])" if not self.last_is_prefix else ""
        return "(?<![^\\W_])" + "(?:[^\\w\\x1f]|_)+".join(map(re.escape, self.words)) + edge

    def like(self) -> str | None:
        """A LIKE pattern every text holding the words matches (SQLite's LIKE ignores the case
        of ASCII letters only), or None."""
        if not all(word.isascii() for word in self.words):
            return None
        return "%" + "%".join(self.words) + "%"  # letters and digits: no wildcards


_WORD = re.compile(r"[^\W_]+")
