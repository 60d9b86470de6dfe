"""What other apps call when something happens that the outside may hear about.

Each function queues a signed delivery to every listening endpoint once the
transaction commits; nothing is sent for a change that rolls back. Payloads
carry what a receiving system needs to act and a link back, never a
customer's name or e-mail address.
"""

from __future__ import annotations

from typing import Any

from purposeful.webhooks.models import Event

__all__ = [
    "emit",
    "message_published",
    "offer_published",
    "signal_created",
    "signal_state_changed",
]


def emit(event: str, data: dict[str, Any]) -> int:
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


def signal_created(signal: Any) -> int:
    return emit(Event.SIGNAL_CREATED, {"signal": _signal(signal)})


def signal_state_changed(signal: Any, *, previous: str) -> int:
    return emit(
        Event.SIGNAL_STATE_CHANGED,
        {
            "signal": _signal(signal),
            "previous_state": previous,
            "reason": signal.decline_reason,
        },
    )


def offer_published(version: Any) -> int:
    offer = version.offer
    return emit(
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


def message_published(message: Any) -> int:
    return emit(
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
