"""The limit the API benchmark is measured against: a bare Django view that inserts one row.

Settings, URLs, view and WSGI application in one module, served by gunicorn as
`bench.api_bare_insert:application` (DJANGO_SETTINGS_MODULE=bench.api_bare_insert). It uses the
product's DATABASES (same file or server, same options, persistent connections) and nothing
else: no installed apps, no middleware, no authentication. With BARE_INSERT_STACK=startproject
it has the apps and middleware of a fresh `django-admin startproject` instead; with
BARE_INSERT_STACK=drf, the same plus Django REST Framework, and the view is a DRF view with a
serializer for the report's fields. Not part of the product.
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
if os.environ.get("BARE_INSERT_STACK") in ("startproject", "drf"):
    # The same view as a fresh `django-admin startproject` would run it: its apps and
    # middleware (the limit PERFORMANCE.md calls "Django view inserting one row").
    INSTALLED_APPS = [
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
    ]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ]
            },
        }
    ]
    STATIC_URL = "static/"
if os.environ.get("BARE_INSERT_STACK") == "drf":
    INSTALLED_APPS.append("rest_framework")
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


def _drf_view():
    """The same insert as a DRF view: a serializer checks the body's shape (the report's five
    fields), DRF's default authentication and content negotiation run, the row goes in."""
    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework import serializers
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class ReportShape(serializers.Serializer):
        reporter_name = serializers.CharField(max_length=200)
        reporter_email = serializers.EmailField(max_length=254)
        description = serializers.CharField(max_length=10_000)
        category = serializers.CharField(max_length=50, required=False, allow_null=True)
        priority = serializers.ChoiceField(
            choices=["low", "normal", "high", "urgent"], required=False, allow_null=True
        )

    class Insert(APIView):
        permission_classes = [AllowAny]

        def post(self, request):
            given = ReportShape(data=request.data)
            given.is_valid(raise_exception=True)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {TABLE} (body, created_at) VALUES (%s, %s)",
                    [given.validated_data["description"], timezone.now()],
                )
            return Response(given.validated_data, status=201)

    return Insert.as_view()


def _urlpatterns():
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    patterns = [path("insert/", csrf_exempt(insert))]
    if os.environ.get("BARE_INSERT_STACK") == "drf":
        patterns = [path("insert/", _drf_view())]
    return patterns


urlpatterns = _urlpatterns() if os.environ.get("DJANGO_SETTINGS_MODULE") == __name__ else []

if os.environ.get("DJANGO_SETTINGS_MODULE") == __name__:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
