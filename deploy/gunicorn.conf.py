"""gunicorn's settings for the web process:

    gunicorn -c deploy/gunicorn.conf.py issues_adapters.wsgi


It listens on 0.0.0.0:$PORT when PORT is set (127.0.0.1:8000 otherwise; `--bind` overrides),
with $WEB_CONCURRENCY processes (gunicorn reads both itself). A stopping worker (SIGTERM,
a restart, max_requests) first finishes its requests, then `worker_exit` lets its delivery
thread deliver what it holds for up to HELPDESK_DELIVERY_DRAIN_SECONDS; what is left then is
the relay's. graceful_timeout leaves room for both before the master kills a worker.

It lives under deploy/ and is named with -c, not found in the working directory by gunicorn
itself, so that another app served from this folder (bench/'s bare inserts) never takes it.
"""

import math
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "issues_adapters.settings")

from django.conf import settings

worker_class = "gthread"
threads = 4
timeout = 30
# A request that is still running, then the delivery thread's drain.
graceful_timeout = timeout + math.ceil(settings.HELPDESK_DELIVERY_DRAIN_SECONDS) + 5
accesslog = "-"


def worker_exit(server, worker):
    """In the worker process, as it exits: hand the delivery thread's queue on, or leave it to
    the relay, before the process is gone (atexit would too, but only if the interpreter
    gets to run it)."""
    try:
        from issues_adapters.wiring import dispatcher

        if not dispatcher().worker.stop():
            server.log.warning("Worker %s left undelivered events to the relay", worker.pid)
    except Exception:
        server.log.exception("Worker %s could not stop its delivery thread", worker.pid)
