"""How many rows each table the product writes to holds: "nothing was written" is these
counts unchanged. Sessions are left out (logging in and out is not a write of the product's)."""

from django.apps import apps

SKIPPED = {"django_session"}


def table_counts() -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in SKIPPED
    }
