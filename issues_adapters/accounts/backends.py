"""An authentication backend that refuses every login while failed_logins says locked out.

Listed first in AUTHENTICATION_BACKENDS, so that it covers every way in (the login page, the
admin's, the API's token request): raising PermissionDenied stops Django's `authenticate()`
before any password is checked. It authenticates nobody and so has no `get_user`, which keeps
it out of sessions (and out of the test client's `force_login`).
"""

import functools

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS

from issues_adapters.accounts import failed_logins
from issues_adapters.persistence.kept_statements import Statement


class RefuseLockedOutLogins:
    def authenticate(self, request, **credentials):
        username = credentials.get(get_user_model().USERNAME_FIELD)
        if failed_logins.locked_out(request, username):
            raise PermissionDenied(failed_logins.refusal_message())
        return None


class ModelBackend(backends.ModelBackend):
    """Django's, with the user read on every request (`get_user`, for the session) compiled
    once (persistence/kept_statements.py): the same statement and the same checks."""

    def get_user(self, user_id):
        rows = _user_statement().rows(user_id)
        if not rows:
            return None
        model = get_user_model()
        names = _attnames(model)
        user = model.from_db(DEFAULT_DB_ALIAS, names, [rows[0][name] for name in names])
        return user if self.user_can_authenticate(user) else None


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@functools.cache
def _user_statement() -> Statement:
    model = get_user_model()
    return Statement(
        lambda user_id: model._default_manager.filter(pk=user_id).values(*_attnames(model)),
        model._meta.pk,
    )
