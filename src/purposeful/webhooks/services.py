"""Every write to webhooks: endpoints by stewards, delivery attempts by the worker."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in
from purposeful.webhooks import delivery
from purposeful.webhooks.models import Delivery, Endpoint, Event

PING = "ping"


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOKS_MAX_ATTEMPTS", 5))


def disable_after() -> int:
    return int(getattr(settings, "WEBHOOKS_DISABLE_AFTER", 10))


def backoff(attempt: int) -> timedelta:
    """Wait before attempt ``attempt + 1``: 30 s, 1 min, 2 min, 4 min … (at most a day)."""
    base = float(getattr(settings, "WEBHOOKS_RETRY_BASE_SECONDS", 30))
    return timedelta(seconds=min(base * 2 ** (attempt - 1), 86400))


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [e for e in chosen if e not in Event.values]
    if unknown:
        raise ValidationError({"events": f"Unknown events: {', '.join(unknown)}."})
    if not chosen:
        raise ValidationError({"events": "Choose at least one event."})
    return [e for e in Event.values if e in chosen]


def _clean_url(url: str) -> str:
    url = url.strip()
    try:
        delivery.check_url(url)
    except delivery.AddressRefused as error:
        raise ValidationError({"url": str(error)}) from error
    return url


def _clean_secret(secret: str | None) -> str:
    secret = (secret or "").strip()
    if not secret:
        return "whsec_" + secrets.token_urlsafe(32)
    if len(secret) < 16:
        raise ValidationError({"secret": "Use a secret of at least 16 characters."})
    return secret


def endpoint_create(
    *,
    actor: Actor,
    url: str,
    events: Iterable[str],
    description: str = "",
    secret: str | None = None,
) -> Endpoint:
    """Register an address; without a secret, a strong one is made up."""
    check(actor, Action.MANAGE_WEBHOOKS)
    endpoint = Endpoint(
        url=_clean_url(url),
        events=_clean_events(events),
        description=description.strip(),
        secret=_clean_secret(secret),
        created_by=signed_in(actor),
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def endpoint_update(
    *,
    actor: Actor,
    endpoint: Endpoint,
    url: str | None = None,
    events: Iterable[str] | None = None,
    description: str | None = None,
    secret: str | None = None,
    is_active: bool | None = None,
) -> Endpoint:
    check(actor, Action.MANAGE_WEBHOOKS, endpoint)
    if url is not None:
        endpoint.url = _clean_url(url)
    if events is not None:
        endpoint.events = _clean_events(events)
    if description is not None:
        endpoint.description = description.strip()
    if secret is not None:
        endpoint.secret = _clean_secret(secret)
    if is_active is True and not endpoint.is_active:
        _enable(endpoint)
    elif is_active is False:
        endpoint.is_active = False
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = "Switched off by a steward."
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def _enable(endpoint: Endpoint) -> None:
    endpoint.is_active = True
    endpoint.consecutive_failures = 0
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""


def endpoint_enable(*, actor: Actor, endpoint: Endpoint) -> Endpoint:
    """Switch a disabled endpoint back on; its failure count starts again."""
    check(actor, Action.MANAGE_WEBHOOKS, endpoint)
    _enable(endpoint)
    endpoint.save()
    return endpoint


def endpoint_delete(*, actor: Actor, endpoint: Endpoint) -> None:
    check(actor, Action.MANAGE_WEBHOOKS, endpoint)
    endpoint.delete()


def payload(event: str, data: dict[str, Any], *, event_id: str) -> str:
    return json.dumps(
        {
            "id": event_id,
            "type": event,
            "created_at": timezone.now().isoformat(),
            "data": data,
        },
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )


def _enqueue(endpoint_id: int, event: str, event_id: str, body: str) -> None:
    from purposeful.webhooks.tasks import deliver

    deliver.enqueue(endpoint_id, event, event_id, body, 1)


def endpoint_ping(*, actor: Actor, endpoint: Endpoint) -> str:
    """Send a test event now (through the worker); returns its event id."""
    check(actor, Action.MANAGE_WEBHOOKS, endpoint)
    event_id = str(uuid.uuid4())
    body = payload(PING, {"endpoint": endpoint.pk}, event_id=event_id)
    transaction.on_commit(lambda: _enqueue(endpoint.pk, PING, event_id, body))
    return event_id


def event_emit(event: str, data: dict[str, Any]) -> int:
    """Queue ``event`` for every active endpoint that listens, once the change commits.

    Returns how many endpoints will hear about it.
    """
    if event not in Event.values:
        raise ValueError(f"Unknown webhook event {event!r}")
    endpoints = [
        e.pk
        for e in Endpoint.objects.filter(is_active=True).only("pk", "events")
        if event in e.events
    ]
    if not endpoints:
        return 0
    event_id = str(uuid.uuid4())
    body = payload(event, data, event_id=event_id)

    def send() -> None:
        for endpoint_id in endpoints:
            _enqueue(endpoint_id, event, event_id, body)

    transaction.on_commit(send)
    return len(endpoints)


def delivery_attempt(
    *, endpoint_id: int, event: str, event_id: str, body: str, attempt: int
) -> Delivery | None:
    """POST once, log it, and decide: done, retry later, or disable the endpoint.

    Called by the background worker only. Returns the logged attempt, or None
    when the endpoint is gone or switched off.
    """
    endpoint = Endpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None or (not endpoint.is_active and event != PING):
        return None
    outcome = delivery.post(
        url=endpoint.url,
        secret=endpoint.secret,
        event=event,
        event_id=event_id,
        body=body,
    )
    retry = not outcome.is_success and attempt < max_attempts()
    record = Delivery.objects.create(
        endpoint=endpoint,
        event_id=event_id,
        event=event,
        body=body,
        attempt=attempt,
        status_code=outcome.status_code,
        response_body=outcome.response_body,
        error=outcome.error,
        is_success=outcome.is_success,
        duration_ms=outcome.duration_ms,
        next_attempt_at=timezone.now() + backoff(attempt) if retry else None,
    )
    if outcome.is_success:
        Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return record
    _count_failure(endpoint)
    endpoint.refresh_from_db(fields=["is_active"])
    if retry and endpoint.is_active:
        _retry_later(endpoint.pk, event, event_id, body, attempt + 1, record)
    return record


def _count_failure(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    limit = disable_after()
    disabled = Endpoint.objects.filter(
        pk=endpoint.pk, is_active=True, consecutive_failures__gte=limit
    ).update(
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason=f"Switched off after {limit} failed deliveries in a row.",
    )
    if disabled:
        Delivery.objects.filter(
            endpoint=endpoint, next_attempt_at__isnull=False
        ).update(next_attempt_at=None)


def _retry_later(
    endpoint_id: int,
    event: str,
    event_id: str,
    body: str,
    attempt: int,
    record: Delivery,
) -> None:
    from django_tasks import default_task_backend

    from purposeful.webhooks.tasks import deliver

    if default_task_backend.supports_defer:
        deliver.using(run_after=record.next_attempt_at).enqueue(
            endpoint_id, event, event_id, body, attempt
        )
    else:
        # A backend without deferral (the immediate one) retries at once.
        deliver.enqueue(endpoint_id, event, event_id, body, attempt)
