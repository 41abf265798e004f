"""Chores that no event starts, run by the relay loop and by Celery beat."""

import time

from django.contrib.sessions.models import Session
from django.utils import timezone

# Django never deletes expired sessions by itself; staff logins would pile up without this.
CLEAR_SESSIONS_SECONDS = 3600


def clear_expired_sessions() -> int:
    """What `manage.py clearsessions` does, answering how many were cleared."""
    cleared, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return cleared


class Every:
    """True once per period when asked in a loop: the first time straight away."""

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds, self.clock, self.next_at = seconds, clock, clock()

    def due(self) -> bool:
        if self.clock() < self.next_at:
            return False
        self.next_at = self.clock() + self.seconds
        return True
