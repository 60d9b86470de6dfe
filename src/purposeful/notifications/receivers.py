"""Listening to the other parts' records: a saved event queues a notification task.

Only queueing happens here; deciding who hears what is in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save


def _queue(kind: str, pk: int) -> None:
    from purposeful.notifications.tasks import notify_event

    transaction.on_commit(lambda: notify_event.enqueue(kind, pk))


def _signal_event_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw and instance.kind == "received":
        _queue("signal", instance.signal_id)


def _handover_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not raw and (created or instance.state != "proposed"):
        _queue("handover", instance.pk)


def _advice_request_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        _queue("advice", instance.pk)


def _membership_change_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        _queue("team_change", instance.pk)


def connect() -> None:
    from purposeful.feedback.models import SignalEvent
    from purposeful.offers.models import AdviceRequest
    from purposeful.organisation.models import MembershipChange
    from purposeful.relationships.models import Handover

    post_save.connect(
        _signal_event_saved, sender=SignalEvent, dispatch_uid="notify_signal"
    )
    post_save.connect(_handover_saved, sender=Handover, dispatch_uid="notify_handover")
    post_save.connect(
        _advice_request_saved, sender=AdviceRequest, dispatch_uid="notify_advice"
    )
    post_save.connect(
        _membership_change_saved,
        sender=MembershipChange,
        dispatch_uid="notify_team_change",
    )
