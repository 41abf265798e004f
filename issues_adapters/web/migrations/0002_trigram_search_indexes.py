"""Fast queue search on PostgreSQL: trigram indexes for the queue's text search.

The queue searches with `icontains` (UPPER(column) LIKE UPPER('%text%')) over the reporter's
name and email and the description, and `iexact` on the reference; without these indexes that
is a scan of the whole issue table. The indexes are on the expressions Django generates. They
exist only on PostgreSQL (SQLite has no trigram indexes), so they live in a migration rather
than in the model's Meta; on other databases this migration does nothing.
"""

from django.db import migrations

INDEXES = {
    "issue_search_description_trgm": "UPPER(description::text) gin_trgm_ops",
    "issue_search_email_trgm": "UPPER(reporter_email::text) gin_trgm_ops",
    "issue_search_name_trgm": "UPPER(reporter_name::text) gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON issues_issue USING gin ({expression})"
        )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS issue_search_reference_upper "
        "ON issues_issue (UPPER(reference::text))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [*INDEXES, "issue_search_reference_upper"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0001_initial"),
        ("issues", "0003_open_issues_by_assignee"),
    ]

    operations = [migrations.RunPython(create, drop)]
