"""One delivery: its overall deadline and the address guard, without a database."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from purposeful.webhooks import delivery

TRICKLE_FOR = 6.0  # seconds a slow receiver keeps sending before it gives up
TRICKLE_EVERY = 0.3


@pytest.fixture
def trickler():
    """A receiver on a real socket that answers one byte at a time, slowly."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    state = {"where": "body"}

    def serve():
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            if state["where"] == "headers":
                head, rest = b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 200
            else:
                head, rest = b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n", b"a"
                rest *= 200
            conn.sendall(head)
            started = time.monotonic()
            for byte in rest:
                if stop.wait(TRICKLE_EVERY) or time.monotonic() - started > TRICKLE_FOR:
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.getsockname()[1]}/hook"
    yield state
    stop.set()
    server.close()
    thread.join(timeout=5)


def _post(url: str) -> delivery.Outcome:
    return delivery.post(
        url=url, secret="s" * 20, event="ping", event_id="x", body="{}"
    )


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_receiver_that_trickles_is_cut_off_at_the_deadline(
    trickler, monkeypatch, where
):
    monkeypatch.setattr(delivery, "DEADLINE_SECONDS", 1.5)
    trickler["where"] = where
    started = time.monotonic()
    outcome = _post(trickler["url"])
    took = time.monotonic() - started
    assert outcome.status_code is None and not outcome.is_success, outcome
    assert "did not answer within 1.5 seconds" in outcome.error
    assert took < 1.5 + TRICKLE_EVERY * 3, f"held for {took:.1f} s"


def test_a_prompt_receiver_is_not_hurried(receiver, monkeypatch):
    monkeypatch.setattr(delivery, "DEADLINE_SECONDS", 1.5)
    outcome = _post(receiver.url)
    assert outcome.is_success and outcome.response_body == '{"ok": true}', outcome


# IPv6 forms that carry a private or loopback IPv4 address to where it leads.
EMBEDDING_PRIVATE_IPV4 = [
    "::127.0.0.1",  # IPv4-compatible
    "::a00:1",  # IPv4-compatible 10.0.0.1
    "::ffff:169.254.169.254",  # IPv4-mapped
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:c0a8:114::1",  # 6to4 of 192.168.1.20
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
]


@pytest.mark.parametrize("address", EMBEDDING_PRIVATE_IPV4)
def test_ipv6_literals_embedding_a_private_ipv4_are_refused(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(delivery.AddressRefused, match="cannot go to private"):
        delivery.check_url(f"http://[{address}]/hook")


@pytest.mark.parametrize("address", EMBEDDING_PRIVATE_IPV4)
def test_a_host_resolving_to_an_ipv6_form_of_a_private_ipv4_is_refused(
    settings, monkeypatch, address
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(
        delivery.socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, 80))],
    )
    outcome = _post("https://rebind.example.org/hook")
    assert outcome.status_code is None
    assert "private, loopback or link-local" in outcome.error


@pytest.mark.parametrize(
    "address",
    ["2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8"],
)
def test_ipv6_forms_of_public_addresses_are_allowed(settings, address):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    assert delivery.check_url(f"https://[{address}]/hook")[1] == address
