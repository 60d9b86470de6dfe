"""Demo for notifications: a few members' choices, and a digest waiting."""

from __future__ import annotations

from datetime import timedelta

from purposeful.feedback.models import Signal
from purposeful.notifications.models import (
    Frequency,
    Notification,
    NotificationPreference,
)

CHOICES = {
    "amara": {
        "signals": Frequency.IMMEDIATELY,
        "customer_messages": Frequency.IMMEDIATELY,
    },
    "kofi": {"signals": Frequency.DAILY, "handovers": Frequency.IMMEDIATELY},
    "lena": {"advice": Frequency.IMMEDIATELY, "customer_messages": Frequency.NEVER},
    "tomas": {"signals": Frequency.NEVER, "handovers": Frequency.DAILY},
}


def load(context) -> None:
    NotificationPreference.objects.bulk_create(
        NotificationPreference(
            member=context.members[username], topic=topic, frequency=frequency
        )
        for username, choices in CHOICES.items()
        for topic, frequency in choices.items()
    )
    kofi = context.members["kofi"]
    team_ids = list(kofi.memberships.values_list("team_id", flat=True))
    recent = (
        Signal.objects.filter(
            team_id__in=team_ids, created_at__gte=context.now - timedelta(days=1)
        )
        .select_related("team")
        .order_by("-created_at", "-pk")[:5]
    )
    Notification.objects.bulk_create(
        Notification(
            member=kofi,
            topic="signals",
            source=f"signal:{s.pk}",
            subject=f"A new signal to {s.team.name}: {s.excerpt}",
            body=s.words,
            link=s.get_absolute_url(),
            delivery=Notification.Delivery.DIGEST,
            created_at=s.created_at,
        )
        for s in recent
    )
