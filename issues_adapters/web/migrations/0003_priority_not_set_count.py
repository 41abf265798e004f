"""The side bar counts open issues without a priority ("Not set") from now on; the counter
for those already in the read model is counted here once, as a rebuild would count it."""

from django.db import migrations

OPEN = ["reported", "triaged", "assigned"]


def count_not_set(apps, schema_editor):
    state = apps.get_model("web", "QueueIssueState")
    count = apps.get_model("web", "QueueCount")
    not_set = state.objects.filter(status__in=OPEN, priority__isnull=True).count()
    count.objects.update_or_create(key="priority:none", defaults={"count": not_set})


def forget_not_set(apps, schema_editor):
    apps.get_model("web", "QueueCount").objects.filter(key="priority:none").delete()


class Migration(migrations.Migration):
    dependencies = [("web", "0002_trigram_search_indexes")]

    operations = [migrations.RunPython(count_not_set, forget_not_set)]
