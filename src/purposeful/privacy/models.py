"""Personal data: the record that a contact was erased, holding none of their data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Erasure(models.Model):
    """A contact's personal data was erased: when, by whom, and how much was touched."""

    contact_id = models.PositiveIntegerField()
    account = models.ForeignKey(
        "relationships.Account",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "organisation.Team", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200, blank=True)
    # table → number of the contact's records changed, e.g. {"feedback.Signal": 2}
    changed = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure of contact {self.contact_id}"
