"""Demo webhooks for Wheelhouse: the shop's board display and the bookkeeping sync.

Both are switched off, so the demo never sends anything out; one shows the
notice of an endpoint switched off after repeated failure, with its log.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from purposeful.webhooks.models import Delivery, Endpoint, Event


def load(context) -> None:
    steward = context.members["amara"]
    now = context.now
    board = Endpoint.objects.create(
        url="https://board.wheelhouse.example/purposeful",
        description="Board display in the shop",
        secret="whsec_demo-board-display-not-a-real-secret",
        events=[Event.OFFER_PUBLISHED, Event.MESSAGE_PUBLISHED],
        is_active=False,
        disabled_at=now - timedelta(days=2),
        disabled_reason="Switched off by a steward.",
        created_by=steward,
    )
    books = Endpoint.objects.create(
        url="https://books.wheelhouse.example/hooks/signals",
        description="Bookkeeping sync",
        secret="whsec_demo-bookkeeping-not-a-real-secret",
        events=[Event.SIGNAL_CREATED, Event.SIGNAL_STATE_CHANGED],
        is_active=False,
        consecutive_failures=10,
        disabled_at=now - timedelta(hours=5),
        disabled_reason="Switched off after 10 failed deliveries in a row.",
        created_by=steward,
    )
    rows = []
    for n in range(3):
        event_id = uuid.uuid4()
        body = json.dumps(
            {
                "id": str(event_id),
                "type": "offer.published",
                "data": {"offer": {"id": n + 1}},
            }
        )
        rows.append(
            Delivery(
                endpoint=board,
                event_id=event_id,
                event="offer.published",
                body=body,
                attempt=1,
                status_code=200,
                response_body='{"shown": true}',
                is_success=True,
                duration_ms=84 + n * 9,
            )
        )
    event_id = uuid.uuid4()
    body = json.dumps({"id": str(event_id), "type": "signal.created", "data": {}})
    for attempt in range(1, 6):
        rows.append(
            Delivery(
                endpoint=books,
                event_id=event_id,
                event="signal.created",
                body=body,
                attempt=attempt,
                status_code=502,
                response_body="<html><body>Bad gateway</body></html>",
                duration_ms=1200,
            )
        )
    created = Delivery.objects.bulk_create(rows)
    # Spread the log over the last days, oldest first.
    for age, delivery in enumerate(reversed(created)):
        Delivery.objects.filter(pk=delivery.pk).update(
            created_at=now - timedelta(hours=5 + age * 7)
        )
