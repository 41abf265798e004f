"""Each tag row says whether its issue is open, and an index holds the open issues' tag rows:
the queue counts a tag's open issues from it alone, without looking up each issue's status
(queries._matching, issue 17). Rows already written are marked from their issue's status."""

from django.db import migrations, models

OPEN = ["reported", "triaged", "assigned", "waiting"]  # as the lifecycle had them


def mark_the_open_issues_tags(apps, schema_editor):
    tags = apps.get_model("issues", "TagRecord")
    tags.objects.filter(issue__status__in=OPEN).update(issue_open=True)


class Migration(migrations.Migration):
    dependencies = [("issues", "0017_open_issue_tags_index")]

    operations = [
        migrations.AddField(
            model_name="tagrecord",
            name="issue_open",
            field=models.BooleanField(default=False),
            preserve_default=False,
        ),
        migrations.RunPython(mark_the_open_issues_tags, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="tagrecord",
            index=models.Index(
                condition=models.Q(("issue_open", True)),
                fields=["tag", "issue"],
                name="tag_open_issue",
            ),
        ),
    ]
