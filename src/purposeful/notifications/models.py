"""Notifications: what each member chose to hear about, and what was sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Topic(models.TextChoices):
    SIGNALS = "signals", "New signals in my teams"
    CUSTOMER_MESSAGES = "customer_messages", "Customers writing in to my teams"
    HANDOVERS = "handovers", "Hand-overs to and from my teams"
    ADVICE = "advice", "Advice asked of me or my teams"
    TEAMS = "teams", "Who joins and leaves my teams"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DAILY = "daily", "In a daily digest"
    NEVER = "never", "Never"


# Until a member chooses, everything waits for the daily digest: no one is
# flooded by default.
DEFAULT_FREQUENCY = Frequency.DAILY


class NotificationPreference(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    topic = models.CharField(max_length=20, choices=Topic.choices)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=DEFAULT_FREQUENCY
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "topic"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.topic} {self.frequency}"

    @property
    def owning_team(self) -> None:
        return None


class Notification(models.Model):
    """One thing a member should hear about; also the log of e-mail sent."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Immediately"
        DIGEST = "digest", "Daily digest"

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    topic = models.CharField(max_length=20, choices=Topic.choices)
    # what caused it, e.g. "signal:12": one notification per member and cause
    source = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "source"], name="notification_once_per_cause"
            )
        ]
        indexes = [
            models.Index(
                fields=["delivery", "emailed_at", "created_at"],
                name="notification_pending",
            )
        ]

    def __str__(self) -> str:
        return self.subject
