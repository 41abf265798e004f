"""What a staff member typed into a refused form, kept in the session across the redirect.

A refused form redirects to the issue page (so a reload does not send it again) with a `kept`
key in the address; the page shows that form again as it was sent, with the reason it was
refused. Reloading shows it again; the issue page without the key shows fresh forms.
"""

import secrets
import uuid

from django.utils.datastructures import MultiValueDict

_SESSION_KEY = "web.kept_forms"
_AT_MOST = 5  # the latest few: a second tab's refusal must not wipe the first's


def keep(
    request,
    issue_id: uuid.UUID,
    action: str,
    data,
    *,
    errors: dict | None = None,
    alert: str = "",
    stale: dict | None = None,
) -> str:
    """Keeps a refused form's data (a QueryDict) and why it was refused; returns its key."""
    key = secrets.token_urlsafe(8)
    fields = {name: values for name, values in data.lists() if name != "csrfmiddlewaretoken"}
    kept = request.session.get(_SESSION_KEY, {})
    kept[key] = {
        "issue": str(issue_id),
        "action": action,
        "data": fields,
        "errors": errors or {},
        "alert": alert,
        "stale": stale,
    }
    request.session[_SESSION_KEY] = dict(list(kept.items())[-_AT_MOST:])
    return key


def kept(request, issue_id: uuid.UUID) -> dict | None:
    """The form kept under the address's `kept` key for this issue, its data a MultiValueDict."""
    key = request.GET.get("kept")
    entry = request.session.get(_SESSION_KEY, {}).get(key) if key else None
    if entry is None or entry["issue"] != str(issue_id):
        return None
    return entry | {"data": MultiValueDict(entry["data"])}


_BULK_KEY = "web.kept_bulk_text"
_BULK_TEXT_FIELDS = {"resolve": "resolution", "await_reporter": "comment", "tag": "tags"}


def keep_bulk_text(request, data) -> None:
    """What was typed into a bulk action some issues refused, shown once on the queue page."""
    text = data.get(_BULK_TEXT_FIELDS.get(data.get("action"), ""), "").strip()
    if text:
        request.session[_BULK_KEY] = text


def kept_bulk_text(request) -> str:
    return request.session.pop(_BULK_KEY, "")
