"""What the outside hears of the domain events (``purposeful.events``).

Each subscriber below turns one event into a webhook payload and queues a signed
delivery to every listening endpoint once the transaction commits; nothing is
sent for a change that rolls back. Payloads carry what a receiving system needs
to act and a link back, never a customer's name or e-mail address.
"""

from __future__ import annotations

from typing import Any

from purposeful import events
from purposeful.webhooks.models import Event


def emit(event: str, data: dict[str, Any]) -> int:
    """Queue ``data`` for every active endpoint listening to ``event``."""
    from purposeful.webhooks.services import event_emit

    return event_emit(event, data)


def _signal(signal: Any) -> dict[str, Any]:
    return {
        "id": signal.pk,
        "team": signal.team.slug,
        "kind": signal.kind,
        "source": signal.source,
        "state": signal.state,
        "words": signal.words,
        "offer": signal.offer.slug if signal.offer_id else None,
        "created_at": signal.created_at,
        "path": signal.get_absolute_url(),
    }


def signal_received(event: events.SignalReceived) -> None:
    emit(Event.SIGNAL_CREATED, {"signal": _signal(event.signal)})


def signal_state_changed(event: events.SignalStateChanged) -> None:
    emit(
        Event.SIGNAL_STATE_CHANGED,
        {
            "signal": _signal(event.signal),
            "previous_state": event.previous,
            "reason": event.signal.decline_reason,
        },
    )


def offer_published(event: events.OfferPublished) -> None:
    version = event.version
    offer = version.offer
    emit(
        Event.OFFER_PUBLISHED,
        {
            "offer": {
                "id": offer.pk,
                "slug": offer.slug,
                "team": offer.team.slug,
                "name": version.name,
                "version": version.number,
                "change_note": version.change_note,
                "published_at": version.published_at,
                "path": offer.get_absolute_url(),
            }
        },
    )


def message_published(event: events.MessagePublished) -> None:
    message = event.message
    emit(
        Event.MESSAGE_PUBLISHED,
        {
            "message": {
                "id": message.pk,
                "team": message.team.slug,
                "title": message.title,
                "channel": message.channel,
                "where": message.published_where,
                "published_at": message.published_at,
                "path": message.get_absolute_url(),
            }
        },
    )


def connect() -> None:
    events.subscribe(events.SignalReceived, signal_received)
    events.subscribe(events.SignalStateChanged, signal_state_changed)
    events.subscribe(events.OfferPublished, offer_published)
    events.subscribe(events.MessagePublished, message_published)
