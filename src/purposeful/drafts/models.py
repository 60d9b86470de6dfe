"""A member's unsent words in one form, kept while they type."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

# The address a form sends to is its identity: the editor at /messages/new/,
# the reply form that sends to /inbox/signals/7/reply/.
KEY_MAX_LENGTH = 300


class Draft(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    # field name -> the values sent under it, as a form sends them (a list, so
    # that several ticked boxes come back ticked)
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "key"], name="drafts_one_draft_per_form"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.updated_at:%Y-%m-%d %H:%M})"
