"""The limit the API benchmark is measured against: a bare Django view that inserts one row.

Settings, URLs, view and WSGI application in one module, served by gunicorn as
`bench.api_bare_insert:application` (DJANGO_SETTINGS_MODULE=bench.api_bare_insert). It uses the
product's DATABASES (same file or server, same options, persistent connections) and nothing
else: no installed apps, no middleware, no authentication. Not part of the product.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from issues_adapters.settings import DATABASES  # noqa: F401  (same database, same options)

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS: list = []
MIDDLEWARE: list = []
USE_TZ = True
TABLE = "bench_bare_row"


def create_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} "
                "(id bigserial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL)"
            )
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} "
                "(id integer PRIMARY KEY AUTOINCREMENT, body text NOT NULL, "
                "created_at text NOT NULL)"
            )


def insert(request):
    from django.db import connection, transaction
    from django.http import JsonResponse
    from django.utils import timezone

    body = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (body, created_at) VALUES (%s, %s)",
            [body.get("description", ""), timezone.now()],
        )
    return JsonResponse({"ok": True}, status=201)


def _urlpatterns():
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    return [path("insert/", csrf_exempt(insert))]


urlpatterns = _urlpatterns() if os.environ.get("DJANGO_SETTINGS_MODULE") == __name__ else []

if os.environ.get("DJANGO_SETTINGS_MODULE") == __name__:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
