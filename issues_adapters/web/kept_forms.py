"""What a staff member typed into a refused form, kept in the session across the redirect.

A refused form redirects to the issue page (so a reload does not send it again) with a `kept`
key in the address; the page shows that form again as it was sent, with the reason it was
refused. Reloading shows it again; the issue page without the key shows fresh forms.

A form sent after the session ended is kept the same way, in the browser's new session, for
the staff member whose session it was (keep_for_author): the login keeps the session's data,
and only that staff member signing in gets it back; whoever else signs in finds it gone.
Nothing is kept longer than a day.
"""

import secrets
import time
import uuid

from django.utils.datastructures import MultiValueDict

_SESSION_KEY = "web.kept_forms"
_AT_MOST = 5  # the latest few: a second tab's refusal must not wipe the first's
_DAY = 24 * 3600


def keep(
    request,
    issue_id: uuid.UUID,
    action: str,
    data,
    *,
    errors: dict | None = None,
    alert: str = "",
    stale: dict | None = None,
    author=None,
    files: list[str] | tuple = (),
) -> str:
    """Keeps a refused form's data (a QueryDict) and why it was refused, for the signed-in
    staff member or `author`; returns its key. `files`: the names of the files it carried,
    which no page can put back into the form."""
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
        "files": list(files),
        "author": str(request.user.pk if author is None else author),
        "at": time.time(),
    }
    request.session[_SESSION_KEY] = dict(list(kept.items())[-_AT_MOST:])
    return key


def kept(request, issue_id: uuid.UUID) -> dict | None:
    """The form kept under the address's `kept` key for this issue, its data a MultiValueDict."""
    key = request.GET.get("kept")
    entry = request.session.get(_SESSION_KEY, {}).get(key) if key else None
    if entry is None or entry["issue"] != str(issue_id) or not _theirs(entry, request.user):
        return None
    return entry | {"data": MultiValueDict(entry["data"])}


def _theirs(entry: dict, user) -> bool:
    return entry.get("author") == str(user.pk) and entry.get("at", 0) > time.time() - _DAY


def keep_for_author(
    request, issue_id: uuid.UUID, action: str, data, author, alert: str, files=()
) -> str:
    """Keeps a form sent after the session ended (data: only its typed fields) for `author`,
    the id of the staff member whose session it was; the signed-out session holding it ends
    in a day."""
    key = keep(request, issue_id, action, data, alert=alert, author=author, files=files)
    request.session.set_expiry(_DAY)
    return key


def author_kept_for(request):
    """The staff member a signed-out session keeps forms for (a second tab's form is theirs
    too: the first one's changed the browser's session), as a user id, or None."""
    kept = request.session.get(_SESSION_KEY, {}).values()
    fresh = (entry for entry in kept if entry.get("at", 0) > time.time() - _DAY)
    return next((entry["author"] for entry in fresh if entry.get("author")), None)


def keep_only_for_who_signed_in(sender, request, user, **kwargs) -> None:
    """user_logged_in's receiver: forms kept for somebody else go; a signed-out draft's day no
    longer limits the signed-in session."""
    kept = request.session.get(_SESSION_KEY) if request is not None else None
    if not kept:
        return
    request.session[_SESSION_KEY] = {k: e for k, e in kept.items() if _theirs(e, user)}
    request.session.set_expiry(None)


_BULK_KEY = "web.kept_bulk_text"
_BULK_TEXT_FIELDS = {"resolve": "resolution", "await_reporter": "comment", "tag": "tags"}


def keep_bulk_text(request, data) -> None:
    """What was typed into a bulk action some issues refused, shown once on the queue page."""
    text = data.get(_BULK_TEXT_FIELDS.get(data.get("action"), ""), "").strip()
    if text:
        request.session[_BULK_KEY] = text


def kept_bulk_text(request) -> str:
    return request.session.pop(_BULK_KEY, "")
