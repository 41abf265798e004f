"""`/health/`: whether this process can do its work, for load balancers and supervisors.

No login, JSON, quick: the database answers a `SELECT 1`; the broker (only when
CELERY_BROKER_URL is set) accepts a connection within a second; and no event handler is
further behind than HELPDESK_HEALTH_MAX_LAG_SECONDS (eventing/status.py, the status panel's
numbers). A handler's checkpoint is moved only by the relay, so a relay nobody started shows
here as lag once events are older than the limit.

503 when the database is down or a handler lags; an unreachable broker is reported but keeps
200: the web process still records every event, and the lag check turns unhealthy if the
broker stays away. Errors are logged here and never put in the body (a broker URL holds its
password).
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

from issues_adapters.eventing.status import handler_statuses
from issues_adapters.wiring import message_bus, read_models

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 1.0


def database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health: the database is unreachable")
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def broker_check() -> dict | None:
    if not settings.CELERY_BROKER_URL:
        return None
    broker = Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options={
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
            "socket_timeout": BROKER_TIMEOUT_SECONDS,
        },
    )
    try:
        broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:
        logger.exception("Health: the broker is unreachable")
        return {"ok": False, "error": "unreachable"}
    finally:
        broker.release()
    return {"ok": True}


def relay_check() -> dict:
    limit = settings.HELPDESK_HEALTH_MAX_LAG_SECONDS
    try:
        statuses = handler_statuses(message_bus(), read_models())
    except DatabaseError:
        logger.exception("Health: the handlers' progress could not be read")
        return {"ok": False, "error": "unreadable", "max_lag_seconds": limit}
    lagging = [status.name for status in statuses if status.lag_seconds > limit]
    return {
        "ok": not lagging,
        "max_lag_seconds": limit,
        "lagging": lagging,
        "handlers": {
            status.name: {"lag_seconds": status.lag_seconds, "lag_events": status.lag_events}
            for status in statuses
        },
    }


@never_cache
@require_safe
def health(request):
    checks = {"database": database_check()}
    if checks["database"]["ok"]:
        checks["relay"] = relay_check()
    broker = broker_check()
    if broker is not None:
        checks["broker"] = broker
    healthy = checks["database"]["ok"] and checks["relay"]["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
