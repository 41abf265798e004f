"""The queue's text search looks in the subject too (persistence 0009 added it): its trigram
index, on PostgreSQL only, like 0002's."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS issue_search_subject_trgm "
        "ON issues_issue USING gin (UPPER(subject::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS issue_search_subject_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0004_tag_counts"),
        ("issues", "0014_open_issues_most_urgent"),
    ]

    operations = [migrations.RunPython(create, drop)]
