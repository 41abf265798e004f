"""The stamp that tells each process its kept categories, staff and canned replies changed
(web/reference_data.py)."""

import uuid

from django.db import migrations, models


def first_stamp(apps, schema_editor):
    apps.get_model("web", "ReferenceDataStamp").objects.create(id=1, stamp=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0005_subject_trigram_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceDataStamp",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("stamp", models.UUIDField()),
            ],
            options={
                "verbose_name": "reference data stamp",
            },
        ),
        migrations.RunPython(first_stamp, migrations.RunPython.noop),
    ]
