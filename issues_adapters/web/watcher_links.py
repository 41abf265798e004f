"""A watcher's own link to an issue: signed (issue id, address), so it needs no table, names
only them, and stops working when they stop watching (the page checks the issue's watchers)."""

import uuid

from django.core import signing

_SALT = "helpdesk.watcher-link"


def token_for(issue_id: uuid.UUID, email: str) -> str:
    return signing.dumps([str(issue_id), email], salt=_SALT, compress=True)


def read(token: str) -> tuple[uuid.UUID, str] | None:
    try:
        issue_id, email = signing.loads(token, salt=_SALT)
        return uuid.UUID(issue_id), email
    except (signing.BadSignature, ValueError, TypeError):
        return None
