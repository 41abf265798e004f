"""Django's database sessions, with the read every signed-in request makes compiled once
(persistence/kept_statements.py): the same statement (the key, not expired), the same data.
SESSION_ENGINE names it; sessions stored by Django's own engine read the same.

A session that ended still tells whose it was, for a day (ENDED_SESSION_GRACE): a form sent
after the end is kept for that staff member alone (web/kept_forms.py). So the browser keeps
the cookie a day longer than the session lasts, the cookie is not deleted when a request
finds its session ended (the issue page polls every few seconds), and the row stays a day
after its end (housekeeping.py). An ended session signs nobody in: its key reads nothing.
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from issues_adapters.persistence.kept_statements import Statement

ENDED_SESSION_GRACE = timedelta(days=1)


class SessionStore(db.SessionStore):
    ended_key = None  # the browser's key when it names no live session

    def _get_session_from_db(self):
        data = _session_statement(self.model).rows(self.session_key, timezone.now())
        if not data:
            self.ended_key, self._session_key = self.session_key, None
            return None
        return self.model(session_key=self.session_key, session_data=data[0])

    def get_expiry_age(self, **kwargs):
        # SessionMiddleware's cookie max-age; the row's expiry is get_expiry_date's, unchanged.
        return super().get_expiry_age(**kwargs) + int(ENDED_SESSION_GRACE.total_seconds())

    def is_empty(self):
        # An ended session's cookie is not deleted: the browser drops it after the grace.
        return super().is_empty() and self.ended_key is None

    def flush(self):
        self.ended_key = None  # a logout deletes the cookie, ended session or not
        super().flush()


def staff_member_of_ended_session(request):
    """The staff member whose session the browser's cookie names, though it has ended, or
    None: no cookie, an unknown or forged one, data that does not verify, a password changed
    since, an account that can no longer sign in or is no longer staff."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    model = SessionStore.get_model_class()
    row = model.objects.filter(session_key=key).values_list("session_data", flat=True).first()
    if row is None:
        return None
    data = SessionStore().decode(row)  # {} unless signed with our secret
    backend = data.get(auth.BACKEND_SESSION_KEY)
    if backend not in settings.AUTHENTICATION_BACKENDS or data.get(auth.SESSION_KEY) is None:
        return None
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(data[auth.SESSION_KEY])
    except ValidationError:
        return None
    user = auth.load_backend(backend).get_user(user_id)  # None if it cannot sign in
    if user is None or not user.is_staff:
        return None
    if not constant_time_compare(data.get(auth.HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return None
    return user


@functools.cache
def _session_statement(model) -> Statement:
    return Statement(
        lambda key, now: model.objects.filter(session_key=key, expire_date__gt=now).values_list(
            "session_data", flat=True
        ),
        model._meta.pk,
        model._meta.get_field("expire_date"),
        flat=True,
    )
