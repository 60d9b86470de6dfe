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
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from django.conf import settings

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

USER_AGENT = "Purposeful-Webhooks/1"
RESPONSE_KEEP = 2000  # characters of a response kept in the delivery log
TIMEOUT_SECONDS = 10  # for each wait on the network
# For the whole delivery: a receiver that trickles a byte every few seconds
# never trips the per-wait timeout and would hold the worker for ever.
DEADLINE_SECONDS = 30
# RFC 6052 NAT64 (the IPv4 address in the last 32 bits) and deprecated
# IPv4-compatible addresses; local-use NAT64 (RFC 8215) is never public.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


class AddressRefused(Exception):
    """The URL points somewhere a webhook may not go."""


class DeadlineExceeded(TimeoutError):
    """The delivery as a whole took longer than ``DEADLINE_SECONDS``."""


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


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses a packet to ``ip`` may end up at (mapped, NAT64, 6to4 …)."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv4Address):
        return ip.is_global and not ip.is_multicast
    if ip in _NAT64_LOCAL:
        return False
    embedded = _embedded_ipv4(ip)
    if not all(v4.is_global and not v4.is_multicast for v4 in embedded):
        return False
    if ip.ipv4_mapped is not None:
        # ::ffff:0:0/96 is never global itself: the IPv4 address decides.
        return True
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
    # the host of an IPv4 or IPv6 socket address is a string
    addresses = [cast(str, info[4][0]) for info in infos]
    if not addresses:
        raise AddressRefused(f"The host name {host} does not resolve.")
    if not _private_allowed() and not all(_is_public(a) for a in addresses):
        # One private answer is enough to refuse: DNS may point anywhere.
        raise AddressRefused(
            f"{host} resolves to a private, loopback or link-local address."
        )
    return addresses[0]


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    @property
    def message(self) -> str:
        return f"The receiver did not answer within {self.seconds:g} seconds."

    def is_over(self) -> bool:
        return time.monotonic() >= self.at

    def remaining(self) -> float:
        """Seconds the next wait on the network may take; raises once time is up."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(self.message)
        return min(left, TIMEOUT_SECONDS)


class _DeadlineSocket(socket.socket):
    """Every wait ends by the delivery's deadline, however the receiver trickles."""

    deadline: _Deadline

    def recv_into(
        self, buffer: WriteableBuffer, nbytes: int = 0, flags: int = 0
    ) -> int:
        self.settimeout(self.deadline.remaining())
        return super().recv_into(buffer, nbytes, flags)

    def sendall(self, data: ReadableBuffer, flags: int = 0) -> None:
        self.settimeout(self.deadline.remaining())
        return super().sendall(data, flags)


class _DeadlineSSLSocket(ssl.SSLSocket):
    deadline: _Deadline | None = None  # set once the handshake is done

    def recv_into(
        self, buffer: WriteableBuffer, nbytes: int | None = None, flags: int = 0
    ) -> int:
        if self.deadline is not None:
            self.settimeout(self.deadline.remaining())
        return super().recv_into(buffer, nbytes, flags)

    def send(self, data: ReadableBuffer, flags: int = 0) -> int:
        if self.deadline is not None:
            self.settimeout(self.deadline.remaining())
        return super().send(data, flags)


def _connect(address: str, port: int, deadline: _Deadline) -> _DeadlineSocket:
    """Connect to the address that was checked, not to a fresh DNS answer."""
    family, kind, proto, _, sockaddr = socket.getaddrinfo(
        address, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
    )[0]
    sock = _DeadlineSocket(family, kind, proto)
    sock.deadline = deadline
    try:
        sock.settimeout(deadline.remaining())
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=TIMEOUT_SECONDS)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = _connect(self._address, self.port, self._deadline)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, deadline: _Deadline) -> None:
        context = ssl.create_default_context()
        context.sslsocket_class = _DeadlineSSLSocket
        super().__init__(host, port, timeout=TIMEOUT_SECONDS, context=context)
        self._address = address
        self._deadline = deadline

    def connect(self) -> None:
        sock = _connect(self._address, self.port, self._deadline)
        # The handshake as a whole is bounded by the socket's timeout.
        sock.settimeout(self._deadline.remaining())
        # HTTPSConnection keeps the context it was given as _context (not in typeshed)
        wrapped = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]
        assert isinstance(wrapped, _DeadlineSSLSocket)
        wrapped.deadline = self._deadline
        self.sock = wrapped


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
    """POST the body once, within ``DEADLINE_SECONDS``; never raises or redirects."""
    started = time.monotonic()
    deadline = _Deadline(DEADLINE_SECONDS)

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
    connection = connection_class(host, port, address, deadline)
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
        if isinstance(error, TimeoutError) and deadline.is_over():
            # The last wait was cut to the time left: the deadline ended it.
            return Outcome(None, "", deadline.message, elapsed())
        message = str(error) or error.__class__.__name__
        return Outcome(None, "", message[:300], elapsed())
    finally:
        connection.close()
