"""Django's database sessions, with the read every signed-in request makes compiled once
(persistence/kept_statements.py): the same statement (the key, not expired), the same data.
SESSION_ENGINE names it; sessions stored by Django's own engine read the same."""

import functools

from django.contrib.sessions.backends import db
from django.utils import timezone

from issues_adapters.persistence.kept_statements import Statement


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        data = _session_statement(self.model).rows(self.session_key, timezone.now())
        if not data:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=data[0])


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
