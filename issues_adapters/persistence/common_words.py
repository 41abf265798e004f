"""The words at least half the issues hold, as PostgreSQL's statistics of the words column have
them (ANALYZE, which autovacuum runs): a search looks them up on the rows its other words find,
not in the words index (lookups.MatchesWords). Read again every ten minutes, in each process."""

import time

COMMON = 0.5  # the share of the issues a word must be in
REREAD_AFTER = 600.0  # seconds

_SQL = """
    SELECT word FROM pg_stats,
        unnest(most_common_elems::text::text[], most_common_elem_freqs) AS found(word, share)
    WHERE schemaname = current_schema() AND tablename = 'issues_issue'
        AND attname = 'search_words' AND word IS NOT NULL AND share >= %s
"""
_read: tuple[float, frozenset[str]] | None = None


def common_words(connection) -> frozenset[str]:
    global _read
    if _read is None or time.monotonic() - _read[0] > REREAD_AFTER:
        with connection.cursor() as cursor:
            cursor.execute(_SQL, [COMMON])
            _read = (time.monotonic(), frozenset(word for (word,) in cursor.fetchall()))
    return _read[1]


def forget() -> None:
    """Read them again on the next search (tests, after ANALYZE)."""
    global _read
    _read = None
