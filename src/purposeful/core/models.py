"""What every app shares in the database: the answers kept for idempotency keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """One member's ``Idempotency-Key`` on an API write, and the answer it got.

    The row is written before the request runs (``status_code`` empty: still in
    flight), so a second request with the key finds it and waits its turn; the
    answer is stored in the same transaction as the write it answers.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.TextField()
    body_digest = models.CharField(max_length=64, help_text="SHA-256 of the body")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    content_type = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key"], name="idempotency_key_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"

    @property
    def is_in_flight(self) -> bool:
        return self.status_code is None
