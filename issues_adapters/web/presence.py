"""Who has an issue open right now: each open issue page reports in on every poll.

Kept in the cache (CACHE_URL; shared by every web process when it is Redis), not the database:
it is a few seconds' hearsay that nobody needs after the page closes.
"""

import time
import uuid

from django.core.cache import cache

# A viewer counts as looking until they missed about three polls (the page polls every 3 s).
LOOKING_SECONDS = 10


def _key(issue_id: uuid.UUID) -> str:
    return f"looking:{issue_id}"


def look(issue_id: uuid.UUID, username: str) -> list[str]:
    """Note that `username` has the issue open; answer who else does, by name."""
    now = time.time()
    # Read-modify-write: two viewers reporting in the same instant may drop one of them for one
    # poll, which the next poll repairs; a lock would cost more than the blink.
    seen = {
        name: at
        for name, at in (cache.get(_key(issue_id)) or {}).items()
        if now - at < LOOKING_SECONDS
    }
    seen[username] = now
    cache.set(_key(issue_id), seen, LOOKING_SECONDS)
    return sorted(name for name in seen if name != username)
