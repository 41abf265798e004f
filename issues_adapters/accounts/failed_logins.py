"""Failed logins, counted per account and per client address, and the lockout they lead to.

Every failed `authenticate()` (the login page, the admin's, the API's token request) counts
once against its account and once against its client address (client_address.py). Once
either count reaches its limit (HELPDESK_LOGIN_FAILURES_PER_ACCOUNT, _PER_ADDRESS), logins to
that account or from that address are refused, the right password too, until
HELPDESK_LOGIN_LOCKOUT_SECONDS after the first of those failures. Per account stops guessing
spread over many addresses; per address, one address trying many accounts. The price: anyone
can lock an account for that long by failing on purpose, so keep the period short.

Counts live in Django's cache, as the rates do: set CACHE_URL when several processes serve.
A successful login does not clear them, so that an attacker's own account cannot reset the
count of the address it guesses from.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.translation import ngettext

from issues_adapters.http.client_address import client_address


def period_seconds() -> int:
    return settings.HELPDESK_LOGIN_LOCKOUT_SECONDS


def refusal_message() -> str:
    minutes = max(1, round(period_seconds() / 60))
    return ngettext(
        "Too many failed logins for this account or from this address. Logins are refused for "
        "now, even with the right password; please try again in %(minutes)d minute.",
        "Too many failed logins for this account or from this address. Logins are refused for "
        "now, even with the right password; please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def locked_out(request, username: str | None) -> bool:
    keys = _keys(request, username)
    counts = cache.get_many(list(keys))
    limits = _limits()
    return any(counts.get(key, 0) >= limits[kind] for key, kind in keys.items())


def count_failure(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed's receiver: the credentials come with the password masked."""
    username = credentials.get(get_user_model().USERNAME_FIELD)
    for key in _keys(request, username):
        _increment(key)


def _limits() -> dict[str, int]:
    return {
        "account": settings.HELPDESK_LOGIN_FAILURES_PER_ACCOUNT,
        "address": settings.HELPDESK_LOGIN_FAILURES_PER_ADDRESS,
    }


def _keys(request, username) -> dict[str, str]:
    keys = {}
    if username:
        # Hashed: a username can hold characters a cache key cannot.
        digest = hashlib.sha256(str(username).casefold().encode()).hexdigest()
        keys[f"failed-logins:account:{digest}"] = "account"
    if request is not None:
        keys[f"failed-logins:address:{client_address(request)}"] = "address"
    return keys


def _increment(key: str) -> None:
    # The first failure starts the period; later ones count within it and do not extend it.
    cache.add(key, 0, timeout=period_seconds())
    try:
        cache.incr(key)
    except ValueError:  # the period ended between the two calls
        cache.add(key, 1, timeout=period_seconds())
