"""The client's address, as every rate limit and anonymous Idempotency-Key counts it.

It is the socket's (REMOTE_ADDR) unless HELPDESK_TRUSTED_PROXIES says which reverse proxies
stand in front: only then is X-Forwarded-For read, from the right, since each proxy appends the
address it saw and everything to the left of the nearest proxy is whatever the client sent.

- a number N: N proxies in front; the client is the Nth address from the right of
  X-Forwarded-For (the one the outermost proxy saw).
- a list of addresses or networks: the client is the right-most address that is not one of them.

An address the trusted proxy did not write well (not an IP address) counts as the socket's.
"""

import ipaddress
from functools import cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(request) -> str:
    socket = request.META.get("REMOTE_ADDR", "")
    trusted = settings.HELPDESK_TRUSTED_PROXIES
    if not trusted:
        return socket
    chain = [*_forwarded_for(request), socket]
    if isinstance(trusted, int):
        chosen = chain[max(0, len(chain) - 1 - trusted)]
    else:
        networks = _networks(tuple(trusted))
        chosen = next(
            (entry for entry in reversed(chain) if not _within(entry, networks)), chain[0]
        )
    address = _parsed(chosen)
    return str(address) if address is not None else socket


def _forwarded_for(request) -> list[str]:
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [entry.strip() for entry in header.split(",") if entry.strip()]


@cache
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _within(entry: str, networks) -> bool:
    address = _parsed(entry)
    return address is not None and any(address in network for network in networks)


def _parsed(entry: str) -> Address | None:
    """An address as proxies write it: `192.0.2.1`, `2001:db8::1`, `[2001:db8::1]:443` or
    `192.0.2.1:443`."""
    if entry.startswith("["):
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:
        entry = entry.partition(":")[0]
    try:
        return ipaddress.ip_address(entry)
    except ValueError:
        return None
