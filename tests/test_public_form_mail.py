"""The public form cannot be used to send e-mail to arbitrary people.

Whoever writes in may give any address; the one e-mail that goes there is the
organisation's own confirmation — a fixed subject, no extra recipients, and
none of the sender's words or name in it — and an address gets at most the
rate limit's worth of them.
"""

from __future__ import annotations

import pytest
from django.core import mail

from purposeful.feedback import services, spam

SPAM = "CHEAP PILLS at http://spam.example/buy — click now!"


@pytest.fixture(autouse=True)
def _immediate(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.FEEDBACK_MIN_SECONDS = 0


@pytest.fixture
def general(cast):
    services.settings_update(actor=cast.steward, general_team=cast.team)


def _send(api, *, email, words=SPAM, name="Buy now"):
    return api(None).post(
        "/feedback",
        {
            "words": words,
            "email": email,
            "name": name,
            "started": spam.started_token(),
            "website": "",
        },
    )


def test_confirmation_carries_none_of_the_senders_words(
    api, general, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(api, email="victim@example.org").status_code == 201
    (message,) = mail.outbox
    assert message.to == ["victim@example.org"]
    assert not message.cc and not message.bcc
    assert "CHEAP PILLS" not in message.body and "spam.example" not in message.body
    assert "Buy now" not in message.body
    assert "CHEAP" not in message.subject and "Buy now" not in message.subject
    assert "/feedback/" in message.body, "only the private link, ours"


@pytest.mark.parametrize(
    "email",
    [
        "victim@example.org\nBcc: many@example.org",
        "victim@example.org, other@example.org",
        "victim@example.org>\r\nSubject: hi",
        "not-an-address",
    ],
)
def test_odd_addresses_are_refused_and_nothing_is_sent(
    api, general, email, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(api, email=email)
    assert response.status_code == 400
    assert mail.outbox == []


def test_one_address_gets_at_most_the_rate_limit_of_confirmations(
    api, general, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_RATE_LIMIT = (3, 3600)
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            answers.append(
                api(None)
                .post(
                    "/feedback",
                    {
                        "words": f"Message {n}",
                        "email": "victim@example.org",
                        "started": spam.started_token(),
                    },
                )
                .status_code
            )
    assert answers.count(201) <= 3 and 429 in answers
    assert len(mail.outbox) == answers.count(201)


def _from(client_ip, *, forwarded=None, remote="10.0.0.2"):
    """A public-form post arriving from ``remote`` (the proxy, or the client)."""
    from django.test import Client

    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client().post(
        "/api/v1/feedback",
        {"words": f"Hello from {client_ip}", "started": spam.started_token()},
        content_type="application/json",
        **headers,
    )


def test_behind_a_trusted_proxy_each_visitor_has_a_limit_of_their_own(
    general, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.FEEDBACK_RATE_LIMIT = (2, 3600)
    for visitor in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        for _ in range(2):
            assert _from(visitor, forwarded=visitor).status_code == 201
    assert _from("198.51.100.1", forwarded="198.51.100.1").status_code == 429


def test_a_forwarded_address_from_an_untrusted_peer_is_not_believed(general, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.FEEDBACK_RATE_LIMIT = (2, 3600)
    answers = [
        _from(f"198.51.100.{n}", forwarded=f"198.51.100.{n}", remote="203.0.113.9")
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]


def test_a_client_cannot_hide_behind_an_address_it_prepends(general, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.FEEDBACK_RATE_LIMIT = (2, 3600)
    answers = [
        _from("198.51.100.7", forwarded=f"192.0.2.{n}, 198.51.100.7") for n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # peer is no proxy
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, 10.0.0.5", "198.51.100.1"),  # two proxies
        ("10.0.0.2", "192.0.2.1, 198.51.100.1", "198.51.100.1"),  # spoofed hop
        ("10.0.0.2", "not-an-ip", "10.0.0.2"),
        ("10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_address_reads_forwarded_hops_only_through_trusted_proxies(
    settings, remote, forwarded, client
):
    from django.test import RequestFactory

    from purposeful.core.ratelimit import client_address

    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == client


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    from django.test import RequestFactory

    from purposeful.core.ratelimit import client_address

    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_address(request) == "10.0.0.2"


def test_the_sign_in_throttle_counts_the_client_behind_the_proxy(cast, settings):
    from django.test import Client

    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    behind = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    for _ in range(5):
        Client().post(
            "/accounts/login/", {"username": "owner", "password": "nope"}, **behind
        )
    other = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    from tests.factories import PASSWORD

    response = Client().post(
        "/accounts/login/", {"username": "owner", "password": PASSWORD}, **other
    )
    assert response.status_code == 302, "another visitor behind the proxy signs in"
    locked = Client().post(
        "/accounts/login/", {"username": "owner", "password": PASSWORD}, **behind
    )
    assert locked.status_code == 429


def test_trusted_proxies_that_are_not_addresses_stop_the_start(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "purposeful.settings",
            "PURPOSEFUL_DATA_DIR": str(tmp_path),
            "PURPOSEFUL_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local",
            "PATH": "",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PURPOSEFUL_TRUSTED_PROXIES is not valid" in result.stderr
