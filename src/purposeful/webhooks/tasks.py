"""Background delivery of webhook events, one attempt per task."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(
    endpoint_id: int, event: str, event_id: str, body: str, attempt: int
) -> bool:
    """Attempt a delivery; a failure schedules the next attempt with backoff."""
    from purposeful.webhooks.services import delivery_attempt

    record = delivery_attempt(
        endpoint_id=endpoint_id,
        event=event,
        event_id=event_id,
        body=body,
        attempt=attempt,
    )
    return bool(record and record.is_success)
