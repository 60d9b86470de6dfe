"""What members hear of the domain events (``purposeful.events``).

Only queueing happens here, on commit; deciding who hears what, and whether by
e-mail at once or in the daily digest, is in ``services``.
"""

from __future__ import annotations

from django.db import transaction

from purposeful import events


def _queue(kind: str, *pks: int) -> None:
    from purposeful.notifications.tasks import notify_event

    transaction.on_commit(lambda: notify_event.enqueue(kind, *pks))


def signal_received(event: events.SignalReceived) -> None:
    _queue("signal", event.signal.pk)


def handover_changed(event: events.HandoverChanged) -> None:
    _queue("handover", event.handover.pk)


def advice_asked(event: events.AdviceAsked) -> None:
    # one task for the whole ask: a colleague named and in a named team hears once
    _queue("advice", *(request.pk for request in event.requests))


def advice_given(event: events.AdviceGiven) -> None:
    _queue("advice_given", event.advice.pk)


def membership_changed(event: events.MembershipChanged) -> None:
    _queue("team_change", event.change.pk)


def connect() -> None:
    events.subscribe(events.SignalReceived, signal_received)
    events.subscribe(events.HandoverChanged, handover_changed)
    events.subscribe(events.AdviceAsked, advice_asked)
    events.subscribe(events.AdviceGiven, advice_given)
    events.subscribe(events.MembershipChanged, membership_changed)
