"""Endpoints, signed deliveries to a real local server, retries and switching off."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from purposeful.webhooks import delivery, services
from purposeful.webhooks.events import emit
from purposeful.webhooks.models import Delivery, Endpoint

ALL_EVENTS = [
    "signal.created",
    "signal.state_changed",
    "offer.published",
    "message.published",
]


def _endpoint(cast, url, events=None, **kwargs):
    return services.endpoint_create(
        actor=cast.steward, url=url, events=events or ALL_EVENTS, **kwargs
    )


def test_steward_registers_an_endpoint_with_a_strong_secret(cast):
    endpoint = _endpoint(cast, "https://hooks.example.org/in")
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert endpoint.events == ALL_EVENTS and endpoint.is_active


@pytest.mark.parametrize("role", ["owner", "outsider", "steward_in_team", "anonymous"])
def test_only_stewards_outside_or_inside_teams_manage_webhooks(cast, role):
    actor = cast.by_role(role)
    if role == "steward_in_team":
        assert _endpoint(cast, "https://hooks.example.org/a")
        return
    with pytest.raises(PermissionDenied):
        services.endpoint_create(
            actor=actor, url="https://hooks.example.org/in", events=ALL_EVENTS
        )


def test_unknown_event_and_empty_choice_are_refused(cast):
    with pytest.raises(ValidationError, match="Unknown events"):
        _endpoint(cast, "https://hooks.example.org/in", events=["offer.sold"])
    with pytest.raises(ValidationError, match="at least one"):
        services.endpoint_create(
            actor=cast.steward, url="https://hooks.example.org/in", events=[]
        )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.8/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://printer.local/hook",
        "file:///etc/passwd",
        "ftp://example.org/hook",
        "https://user:pass@example.org/hook",
    ],
)
def test_private_and_odd_addresses_are_refused(cast, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError) as error:
        _endpoint(cast, url)
    assert "url" in error.value.message_dict


def test_delivery_refuses_a_host_that_resolves_to_loopback(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(
        delivery.socket,
        "getaddrinfo",
        lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", 80))],
    )
    outcome = delivery.post(
        url="https://rebind.example.org/hook",
        secret="s" * 20,
        event="ping",
        event_id="x",
        body="{}",
    )
    assert outcome.status_code is None
    assert "private, loopback or link-local" in outcome.error


def test_signature_verifies_and_a_changed_body_does_not():
    header = delivery.sign("topsecret-topsecret", 1_700_000_000, '{"a":1}')
    assert header.startswith("t=1700000000,v1=")
    import time

    now = int(time.time())
    good = delivery.sign("topsecret-topsecret", now, '{"a":1}')
    assert delivery.verify("topsecret-topsecret", good, '{"a":1}')
    assert not delivery.verify("topsecret-topsecret", good, '{"a":2}')
    assert not delivery.verify("another-secret-xx", good, '{"a":1}')
    assert not delivery.verify("topsecret-topsecret", header, '{"a":1}')  # too old


def test_event_reaches_the_endpoint_signed(
    cast, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(cast, receiver.url, secret="a-shared-secret-of-ours")
    with django_capture_on_commit_callbacks(execute=True):
        assert emit("offer.published", {"offer": {"id": 7}}) == 1
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["purposeful-event"] == "offer.published"
    assert delivery.verify(
        "a-shared-secret-of-ours", headers["purposeful-signature"], request["body"]
    )
    event = json.loads(request["body"])
    assert event["type"] == "offer.published" and event["data"] == {"offer": {"id": 7}}
    assert headers["purposeful-delivery"] == event["id"]
    logged = Delivery.objects.get(endpoint=endpoint)
    assert logged.is_success and logged.status_code == 200
    assert logged.response_body == '{"ok": true}'


def test_endpoint_hears_only_the_events_it_chose(
    cast, receiver, django_capture_on_commit_callbacks
):
    _endpoint(cast, receiver.url, events=["message.published"])
    with django_capture_on_commit_callbacks(execute=True):
        assert emit("offer.published", {}) == 0
        assert emit("message.published", {}) == 1
    assert [e["type"] for e in receiver.events] == ["message.published"]


def test_a_change_that_rolls_back_sends_nothing(cast, receiver):
    _endpoint(cast, receiver.url)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        emit("signal.created", {"signal": {"id": 1}})
        raise Boom
    assert receiver.requests == []


def test_failed_delivery_is_retried_with_backoff_and_logged(
    cast, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    receiver.status = 500
    receiver.reply = "x" * 5000
    endpoint = _endpoint(cast, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit("signal.created", {"signal": {"id": 1}})
    attempts = list(Delivery.objects.filter(endpoint=endpoint).order_by("attempt"))
    assert [a.attempt for a in attempts] == [1, 2, 3]
    assert len(receiver.requests) == 3
    assert len({r["headers"]["Purposeful-Delivery"] for r in receiver.requests}) == 1
    assert all(a.status_code == 500 and not a.is_success for a in attempts)
    assert len(attempts[0].response_body) == delivery.RESPONSE_KEEP
    gaps = [(a.next_attempt_at - a.created_at).total_seconds() for a in attempts[:2]]
    assert [round(g) for g in gaps] == [30, 60]
    assert attempts[2].next_attempt_at is None
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 3


def test_backoff_doubles_and_stops_at_a_day(settings):
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [
        30,
        60,
        120,
        240,
    ]
    assert services.backoff(40).total_seconds() == 86400


def test_a_success_resets_the_failure_count(
    cast, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    endpoint = _endpoint(cast, receiver.url)
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        emit("signal.created", {})
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1
    receiver.status = 204
    with django_capture_on_commit_callbacks(execute=True):
        emit("signal.created", {})
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_endpoint_is_switched_off_after_repeated_failure(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 10
    settings.WEBHOOKS_DISABLE_AFTER = 4
    # Nothing listens on this port: every attempt fails to connect.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = _endpoint(cast, f"http://127.0.0.1:{port}/hook")
    with django_capture_on_commit_callbacks(execute=True):
        emit("signal.created", {})
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "4 failed deliveries" in endpoint.disabled_reason
    assert Delivery.objects.filter(endpoint=endpoint).count() == 4
    assert all(d.error for d in Delivery.objects.filter(endpoint=endpoint))
    with django_capture_on_commit_callbacks(execute=True):
        assert emit("signal.created", {}) == 0
    services.endpoint_enable(actor=cast.steward, endpoint=endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0


def test_ping_sends_a_test_event(cast, receiver, django_capture_on_commit_callbacks):
    endpoint = _endpoint(cast, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        event_id = services.endpoint_ping(actor=cast.steward, endpoint=endpoint)
    assert receiver.events[0]["type"] == "ping"
    assert receiver.events[0]["id"] == event_id


def test_delivery_does_not_follow_redirects(
    cast, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 302
    endpoint = _endpoint(cast, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_ping(actor=cast.steward, endpoint=endpoint)
    assert len(receiver.requests) == Delivery.objects.filter(endpoint=endpoint).count()
    assert not Delivery.objects.filter(is_success=True).exists()


def test_steward_changes_and_removes_an_endpoint(cast):
    endpoint = _endpoint(cast, "https://hooks.example.org/in")
    services.endpoint_update(
        actor=cast.steward,
        endpoint=endpoint,
        events=["offer.published"],
        is_active=False,
    )
    endpoint.refresh_from_db()
    assert endpoint.events == ["offer.published"] and not endpoint.is_active
    with pytest.raises(PermissionDenied):
        services.endpoint_delete(actor=cast.owner, endpoint=endpoint)
    services.endpoint_delete(actor=cast.steward, endpoint=endpoint)
    assert not Endpoint.objects.exists()


def test_with_the_database_queue_the_retry_waits_for_its_backoff(
    cast, receiver, settings
):
    """In production the next attempt is a queued task due after the pause."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    receiver.status = 500
    endpoint = _endpoint(cast, receiver.url)
    record = services.delivery_attempt(
        endpoint_id=endpoint.pk,
        event="signal.created",
        event_id="5b0b2f0e-9a57-4c55-8f0e-8c7a5f0a0b11",
        body="{}",
        attempt=1,
    )
    assert record.status_code == 500 and len(receiver.requests) == 1
    queued = DBTaskResult.objects.get(task_path__endswith="webhooks.tasks.deliver")
    assert queued.run_after == record.next_attempt_at
    assert 29 <= (queued.run_after - record.created_at).total_seconds() <= 31
    assert queued.args_kwargs["args"][-1] == 2, "the next attempt is number 2"


def test_the_signing_secret_never_reaches_the_audit_log(cast, receiver):
    from auditlog.models import LogEntry

    endpoint = _endpoint(cast, receiver.url, secret="a-secret-nobody-may-read")
    services.endpoint_update(
        actor=cast.steward, endpoint=endpoint, secret="another-secret-nobody-reads"
    )
    entries = LogEntry.objects.get_for_object(endpoint)
    assert entries.exists(), "the endpoint's changes are logged"
    logged = " ".join(str(e.changes) for e in entries)
    assert "nobody" not in logged
    services.delivery_attempt(
        endpoint_id=endpoint.pk,
        event="ping",
        event_id=str(uuid.uuid4()),
        body="{}",
        attempt=1,
    )
    assert not LogEntry.objects.filter(content_type__model="delivery").exists()
