"""Every issue gets a one-line subject; existing ones take their description's first line (the
rule IssueReported's upcaster applies to their old events, so a rebuild agrees)."""

from django.db import migrations, models

from issues_domain.subject import subject_from_description


def give_subjects(apps, schema_editor):
    Issue = apps.get_model("issues", "IssueRecord")
    batch = []
    for issue in Issue.objects.filter(subject="").only("id", "description").iterator(2000):
        issue.subject = subject_from_description(issue.description)
        batch.append(issue)
        if len(batch) == 2000:
            Issue.objects.bulk_update(batch, ["subject"])
            batch = []
    Issue.objects.bulk_update(batch, ["subject"])


def search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS issue_search_subject_trgm "
            "ON issues_issue USING gin (UPPER(subject::text) gin_trgm_ops)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS issue_search_subject_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0008_tags_links_merged_into"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuerecord",
            name="subject",
            field=models.CharField(default="", max_length=200),
        ),
        migrations.RunPython(give_subjects, migrations.RunPython.noop),
        migrations.RunPython(search_index, drop_search_index),
    ]
