"""The queue's text search reads an index of the issues' words (queries._search, issue 17).

PostgreSQL: a stored column of each issue's words (`search_words`, a tsvector of its reporter's
name and address, subject and description, every run of punctuation a space) and a GIN index
on it; the trigram indexes it replaces only cost writes. A column, not an index on the
expression: when a search matches many issues, a page is read in order from a view's index and
each issue tested, and recomputing its words for each would be the slower part. (A later change
of the type of one of those columns must drop and add the column again: PostgreSQL refuses to
alter a column a generated one is made from.)

SQLite: an FTS5 table over the same columns, its rows the issues' numbers, kept by triggers in
the same transaction as every write to the issue table. Django rebuilds a SQLite table for some
changes of a column, which drops its triggers: such a migration must create them again
(tests/api/search_specs.py fails without them).
"""

from django.db import migrations

TRIGRAM_INDEXES = {
    "issue_search_description_trgm": "UPPER(description::text) gin_trgm_ops",
    "issue_search_email_trgm": "UPPER(reporter_email::text) gin_trgm_ops",
    "issue_search_name_trgm": "UPPER(reporter_name::text) gin_trgm_ops",
    "issue_search_subject_trgm": "UPPER(subject::text) gin_trgm_ops",
}
COLUMNS = "reporter_name, reporter_email, subject, description"
POSTGRESQL = [
    "ALTER TABLE issues_issue ADD COLUMN search_words tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, regexp_replace(reporter_name || ' ' || reporter_email "
    "|| ' ' || subject || ' ' || description, '[^[:alnum:]]+', ' ', 'g'))) STORED",
    "CREATE INDEX issue_words ON issues_issue USING gin (search_words)",
    # The planner takes a word it keeps no statistics for to be in one issue in 200 (or half
    # as many as the rarest it keeps): with the default target it kept 19 words at 1,000,000
    # issues, and a search finding one issue read every issue in order (1.4 s); with 1,000 it
    # keeps 10,000 words and reads that search's issue from the index (3 ms).
    "ALTER TABLE issues_issue ALTER COLUMN search_words SET STATISTICS 1000",
    *(f"DROP INDEX IF EXISTS {name}" for name in TRIGRAM_INDEXES),
    "ANALYZE issues_issue",
]
POSTGRESQL_UNDO = [
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON issues_issue USING gin ({expression})"
        for name, expression in TRIGRAM_INDEXES.items()
    ),
    "ALTER TABLE issues_issue DROP COLUMN search_words",
]
NEW = "new.reporter_name, new.reporter_email, new.subject, new.description"
OLD = "old.reporter_name, old.reporter_email, old.subject, old.description"
SQLITE = [
    # remove_diacritics 0: "cafe" does not find "café", as on PostgreSQL. The beginnings of
    # 2 to 4 letters indexed too: FTS5 otherwise gathers every word a beginning starts before
    # its first match ("jams"* at 1,000,000 issues: 30 ms, 0.3 ms indexed; the index is 3x).
    f"CREATE VIRTUAL TABLE issue_words USING fts5({COLUMNS}, content='issues_issue', "
    "content_rowid='number', tokenize='unicode61 remove_diacritics 0', prefix='2 3 4')",
    "CREATE TRIGGER issue_words_added AFTER INSERT ON issues_issue BEGIN "
    f"INSERT INTO issue_words (rowid, {COLUMNS}) VALUES (new.number, {NEW}); END",
    "CREATE TRIGGER issue_words_removed AFTER DELETE ON issues_issue BEGIN "
    f"INSERT INTO issue_words (issue_words, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.number, {OLD}); END",
    # The repository writes every column on each change: the words only when they changed.
    f"CREATE TRIGGER issue_words_changed AFTER UPDATE OF number, {COLUMNS} ON issues_issue "
    f"WHEN ({OLD}) IS NOT ({NEW}) BEGIN "
    f"INSERT INTO issue_words (issue_words, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.number, {OLD}); "
    f"INSERT INTO issue_words (rowid, {COLUMNS}) VALUES (new.number, {NEW}); END",
    "INSERT INTO issue_words (issue_words) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER issue_words_added",
    "DROP TRIGGER issue_words_removed",
    "DROP TRIGGER issue_words_changed",
    "DROP TABLE issue_words",
]


def run(statements: dict):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0015_queue_open_orders_and_address_search"),
        ("web", "0005_subject_trigram_index"),
    ]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO}),
        ),
    ]
