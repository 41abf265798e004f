"""The side bar counts open issues without a category ("Not set") from now on; the counter
for those already in the read model is counted here once, as a rebuild would count it."""

from django.db import migrations
from django.db.models import Q

OPEN = ["reported", "triaged", "assigned", "waiting"]


def count_not_set(apps, schema_editor):
    state = apps.get_model("web", "QueueIssueState")
    count = apps.get_model("web", "QueueCount")
    not_set = (
        state.objects.filter(status__in=OPEN)
        .filter(Q(category__isnull=True) | Q(category=""))
        .count()
    )
    count.objects.update_or_create(key="category:none", defaults={"count": not_set})


def forget_not_set(apps, schema_editor):
    apps.get_model("web", "QueueCount").objects.filter(key="category:none").delete()


class Migration(migrations.Migration):
    dependencies = [("web", "0006_reference_data_stamp")]

    operations = [migrations.RunPython(count_not_set, forget_not_set)]
