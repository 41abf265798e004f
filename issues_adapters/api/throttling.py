"""Rate limits for what anybody may ask of us without a login, in one place.

Anonymous reporting and token requests are rate-limited per client address; a reporter's
comments per tracking token, and password resets per email address and per client address,
because each of those mails someone (the assignee, a staff member) every time.

The address is `client_address(request)`: the socket's, or X-Forwarded-For's only as far as
HELPDESK_TRUSTED_PROXIES trusts it. (DRF's own `get_ident` takes a client-supplied
X-Forwarded-For as it comes, so a new made-up header per request escaped every rate.)

The rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope] (settings, from
HELPDESK_API_REPORT_RATE, HELPDESK_API_TOKEN_RATE, HELPDESK_REPORTER_COMMENT_RATE,
HELPDESK_PASSWORD_RESET_RATE and HELPDESK_PASSWORD_RESET_ADDRESS_RATE). They are read on
every request, so `override_settings` in a test takes effect at once. The public report form
counts against the same "report" rate (issues_adapters/web/views/public.py), so one address
has one allowance whichever way it reports. Counts live in Django's cache: with several web
processes set CACHE_URL to a Redis URL, or each process counts on its own.
"""

import hashlib

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from issues_adapters.http.client_address import client_address


class _RateFromSettings(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request)


class AnonymousReportThrottle(_RateFromSettings, AnonRateThrottle):
    """Anybody not logged in reporting an issue; staff are not throttled."""

    scope = "report"


class TokenRequestThrottle(_RateFromSettings):
    """Every request for a token, by client address: slows down password guessing."""

    scope = "token"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _PerKey(_RateFromSettings):
    """Counted per a key of the caller's choosing, hashed: a key may hold characters a cache
    key cannot, and the cache need not hold tracking tokens or email addresses."""

    def __init__(self, key: str):
        self.key = hashlib.sha256(key.encode()).hexdigest()
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.key}


class ReporterCommentThrottle(_PerKey):
    """A reporter's comments, per tracking token: each one mails the assignee."""

    scope = "reporter_comment"


class PasswordResetThrottle(_PerKey):
    """Password reset requests, per email address (casefolded, as accounts are matched)."""

    scope = "password_reset"

    def __init__(self, email: str):
        super().__init__(email.casefold())


class PasswordResetAddressThrottle(_RateFromSettings):
    """Password reset requests, per client address: one address asking for many accounts."""

    scope = "password_reset_address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
