"""Endpoints that hear about events, and the log of every delivery attempt."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Event(models.TextChoices):
    SIGNAL_CREATED = "signal.created", "A signal arrives in an inbox"
    SIGNAL_STATE_CHANGED = "signal.state_changed", "A signal changes state"
    OFFER_PUBLISHED = "offer.published", "An offer is published"
    MESSAGE_PUBLISHED = "message.published", "A message is published"


class Endpoint(models.Model):
    """An address outside that receives signed JSON when an event happens."""

    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    # Kept readable: every delivery is signed with it.
    secret = models.CharField(max_length=100)
    events = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["url", "pk"]

    def __str__(self) -> str:
        return self.description or self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:detail", args=[self.pk])

    @property
    def event_labels(self) -> list[str]:
        return [Event(e).label for e in self.events if e in Event.values]


class Delivery(models.Model):
    """One attempt to deliver one event to one endpoint."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(db_index=True)
    event = models.CharField(max_length=40)
    body = models.TextField()
    attempt = models.PositiveSmallIntegerField(default=1)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    is_success = models.BooleanField(default=False)
    duration_ms = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint} (attempt {self.attempt})"

    @property
    def outcome(self) -> str:
        if self.is_success:
            return f"Delivered ({self.status_code})"
        if self.status_code:
            return f"Refused ({self.status_code})"
        return "Failed"
