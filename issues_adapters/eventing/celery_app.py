"""The Celery app for scale-out mode: `celery -A issues_adapters.eventing.celery_app worker`.

Workers run the event handlers (tasks.py); `celery -A issues_adapters.eventing.celery_app beat`
schedules the sweep for stragglers (or run `manage.py relay_events`, which does the same).
Configuration comes from Django settings: CELERY_BROKER_URL and the other CELERY_* names.
"""

import os

import django
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "issues_adapters.settings")
django.setup()

from django.conf import settings  # noqa: E402

from issues_adapters.accounts.housekeeping import CLEAR_SESSIONS_SECONDS  # noqa: E402

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # A task is acknowledged when it finished, so a worker that dies mid-task loses nothing.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    # Keep Django's LOGGING (its lines carry the correlation id) instead of Celery's own.
    worker_hijack_root_logger=False,
    # The web process publishes after commit: with the broker down, give up within about a
    # second (the relay sweep delivers those events later) instead of holding the request.
    broker_connection_timeout=2,
    task_publish_retry_policy={
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    },
    beat_schedule={
        "sweep-undelivered-events": {
            "task": "eventing.sweep",
            "schedule": settings.HELPDESK_SWEEP_SECONDS,
        },
        "clear-expired-sessions": {
            "task": "housekeeping.clear_expired_sessions",
            "schedule": CLEAR_SESSIONS_SECONDS,
        },
        "sla-timers": {"task": "sla.tick", "schedule": settings.HELPDESK_SLA_TIMER_SECONDS},
    },
    include=["issues_adapters.eventing.tasks"],
)
