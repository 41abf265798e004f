"""Chores that no event starts, run by the relay loop and by Celery beat."""

import time

from django.contrib.sessions.models import Session
from django.utils import timezone

from issues_adapters.accounts.sessions import ENDED_SESSION_GRACE

# Django never deletes expired sessions by itself; staff logins would pile up without this.
CLEAR_SESSIONS_SECONDS = 3600


def clear_expired_sessions() -> int:
    """What `manage.py clearsessions` does, a day late (an ended session still names whose a
    form sent after its end is: accounts/sessions.py), answering how many were cleared."""
    ended_before = timezone.now() - ENDED_SESSION_GRACE
    cleared, _ = Session.objects.filter(expire_date__lt=ended_before).delete()
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
