"""An authentication backend that refuses every login while failed_logins says locked out.

Listed first in AUTHENTICATION_BACKENDS, so that it covers every way in (the login page, the
admin's, the API's token request): raising PermissionDenied stops Django's `authenticate()`
before any password is checked. It authenticates nobody and so has no `get_user`, which keeps
it out of sessions (and out of the test client's `force_login`).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from issues_adapters.accounts import failed_logins


class RefuseLockedOutLogins:
    def authenticate(self, request, **credentials):
        username = credentials.get(get_user_model().USERNAME_FIELD)
        if failed_logins.locked_out(request, username):
            raise PermissionDenied(failed_logins.refusal_message())
        return None
