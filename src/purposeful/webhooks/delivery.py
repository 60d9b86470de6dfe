"""Signing, the address guard and the HTTP request of one delivery.

The signature is HMAC-SHA256 over ``"{timestamp}.{body}"`` with the endpoint's
secret, sent as ``Purposeful-Signature: t=<timestamp>,v1=<hex digest>`` — a
receiver recomputes it and refuses old timestamps to stop replays.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

USER_AGENT = "Purposeful-Webhooks/1"
RESPONSE_KEEP = 2000  # characters of a response kept in the delivery log
TIMEOUT_SECONDS = 10


class AddressRefused(Exception):
    """The URL points somewhere a webhook may not go."""


def sign(secret: str, timestamp: int, body: str) -> str:
    digest = hmac.new(
        secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: str, *, tolerance: int = 300) -> bool:
    """What a receiver does: recompute the signature and check the timestamp."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def _private_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False))


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of a URL a webhook may use, without resolving it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("Use an http:// or https:// address.")
    host = parts.hostname or ""
    if not host:
        raise AddressRefused("The address has no host name.")
    if parts.username or parts.password:
        raise AddressRefused("Leave user names and passwords out of the address.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise AddressRefused("The port in the address is not a number.") from error
    if not _private_allowed():
        lowered = host.lower().rstrip(".")
        if lowered == "localhost" or lowered.endswith(
            (".localhost", ".local", ".internal", ".lan", ".home.arpa")
        ):
            raise AddressRefused(
                "Webhooks cannot go to this machine or a local network."
            )
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None and not _is_public(host):
            raise AddressRefused(
                "Webhooks cannot go to private, loopback or link-local addresses."
            )
    return parts.scheme, host, port


def resolve(host: str, port: int) -> str:
    """One address of the host that the guard allows, checked right before use."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefused(f"The host name {host} does not resolve.") from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise AddressRefused(f"The host name {host} does not resolve.")
    if not _private_allowed() and not all(_is_public(a) for a in addresses):
        # One private answer is enough to refuse: DNS may point anywhere.
        raise AddressRefused(
            f"{host} resolves to a private, loopback or link-local address."
        )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to a fresh DNS answer."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Outcome:
    status_code: int | None
    response_body: str
    error: str
    duration_ms: int

    @property
    def is_success(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(*, url: str, secret: str, event: str, event_id: str, body: str) -> Outcome:
    """POST the body once; never raises, never follows a redirect."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port = check_url(url)
        address = resolve(host, port)
    except AddressRefused as error:
        return Outcome(None, "", str(error), elapsed())
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = (
        _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    )
    connection = connection_class(host, port, address, TIMEOUT_SECONDS)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Purposeful-Event": event,
        "Purposeful-Delivery": event_id,
        "Purposeful-Signature": sign(secret, int(time.time()), body),
    }
    try:
        connection.request("POST", target, body=body.encode(), headers=headers)
        response = connection.getresponse()
        raw = response.read(RESPONSE_KEEP * 4)
        text = raw.decode("utf-8", errors="replace")[:RESPONSE_KEEP]
        return Outcome(response.status, text, "", elapsed())
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        message = str(error) or error.__class__.__name__
        return Outcome(None, "", message[:300], elapsed())
    finally:
        connection.close()
