"""Open issues by tag, on PostgreSQL: a GIN index of the open issues' lists of tags, from
which the queue counts a tag's open issues reading no more issues than it counts
(queries._tagged, issue 17). SQLite has no such index: it counts from the tag rows."""

from django.db import migrations

OPEN = "'reported', 'triaged', 'assigned', 'waiting'"


def run(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("issues", "0016_issue_words")]

    operations = [
        migrations.RunPython(
            run(
                "CREATE INDEX issue_open_tags ON issues_issue USING gin (tags jsonb_path_ops) "
                f"WHERE status IN ({OPEN})"
            ),
            run("DROP INDEX issue_open_tags"),
        ),
    ]
