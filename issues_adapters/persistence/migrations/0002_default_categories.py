from django.db import migrations

DEFAULT_CATEGORIES = [
    ("hardware", "Hardware"),
    ("software", "Software"),
    ("network", "Network and connectivity"),
    ("accounts", "Accounts and access"),
    ("email", "Email"),
    ("printing", "Printing"),
    ("other", "Other"),
]


def create_default_categories(apps, schema_editor):
    Category = apps.get_model("issues", "Category")
    for position, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(create_default_categories, migrations.RunPython.noop)]
