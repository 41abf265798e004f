"""The product's WSGI app with event delivery left entirely to the relay sweep (bench only).

By default a web process delivers a commit's events to their handlers right after the commit,
inside the request (embedded mode), or publishes one Celery task per commit (scale-out). Here
neither happens: the events are recorded in the transaction as always, and `manage.py
relay_events` would deliver them later. What is left is the API's own cost per report.
"""

from issues_adapters.wsgi import application  # sets Django up


def _leave_delivery_to_the_relay() -> None:
    from issues_adapters.eventing import relay  # needs the apps loaded

    relay.after_commit = lambda positions: None


_leave_delivery_to_the_relay()

__all__ = ["application"]
