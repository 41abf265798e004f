"""Sessions signed in before the session's user was read by a kept statement name Django's own
ModelBackend, which is no longer listed, so Django would sign their staff out at the deploy
(and a reply being written would be lost at its sending). They are moved to the backend that
replaced it (accounts/backends.ModelBackend: Django's, the same checks)."""

from django.db import migrations
from django.utils import timezone

DJANGOS = "django.contrib.auth.backends.ModelBackend"
KEPT = "issues_adapters.accounts.backends.ModelBackend"
BACKEND_SESSION_KEY = "_auth_user_backend"  # django.contrib.auth's


def renamed(apps, old: str, new: str) -> int:
    from django.contrib.sessions.backends.db import SessionStore

    session_model = apps.get_model("sessions", "Session")
    store = SessionStore()
    moved = 0
    for row in session_model.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store.decode(row.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            row.session_data = store.encode(data)
            row.save(update_fields=["session_data"])
            moved += 1
    return moved


def to_kept(apps, schema_editor):
    renamed(apps, DJANGOS, KEPT)


def to_djangos(apps, schema_editor):
    renamed(apps, KEPT, DJANGOS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_notification_settings"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_kept, to_djangos)]
