"""Issue.changed_version: the version of the last change but a deadline flag, so that a form
made before the SLA's timers flagged a deadline is not stale. NULL for the issues there are
(read as their version: no flag since is forgiven, as before), so neither database rewrites
the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0018_tag_rows_know_whether_their_issue_is_open"),
    ]

    operations = [
        migrations.AddField(
            model_name="issuerecord",
            name="changed_version",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
    ]
