from django.db import migrations

from issues_adapters.persistence.reference_data import ensure_default_categories


def create_default_categories(apps, schema_editor):
    ensure_default_categories(apps.get_model("issues", "Category"))


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(create_default_categories, migrations.RunPython.noop)]
