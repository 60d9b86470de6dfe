"""Who is asking, and how often.

:func:`client_address` is the one answer to "which address is this request
from?" for every rate limit (the public form, password resets) and for the
sign-in throttle (django-axes, through ``AXES_CLIENT_IP_CALLABLE``).
``X-Forwarded-For`` is believed only as far as it was written by a proxy in
``PURPOSEFUL_TRUSTED_PROXIES``; otherwise anyone could send a new address with
every request, and behind a proxy every visitor would share the proxy's.

:func:`count` keeps the counts in the cache, which is the database by default,
so a limit holds across every worker and app server.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

Network = IPv4Network | IPv6Network


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.0/8``); raises ValueError for anything else."""
    return tuple(ip_network(value.strip(), strict=False) for value in values)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _address(text: str) -> str | None:
    """The address in one hop of X-Forwarded-For, or None when it is not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        return str(ip_address(text))
    except ValueError:
        return None


def _is_trusted(address: str | None, networks: tuple[Network, ...]) -> bool:
    if not address:
        return False
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client, read through the trusted proxies only.

    The forwarded hops are read from the nearest one outwards; the first hop
    that is not a trusted proxy is the client. A hop that is not an address
    stops the walk at the proxy that reported it.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed(forwarded.split(",")):
        if not _is_trusted(client, networks):
            break
        address = _address(hop)
        if address is None:
            break
        client = address
    return client


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


def count(kind: str, value: str, *, window: int) -> int:
    """Count one more request of ``kind`` from ``value`` within ``window`` seconds."""
    key = _key(kind, value)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1
