"""What every app shares in the database: the answers kept for idempotency keys,
and the shape of a colleague's advice."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from purposeful.core.limits import max_length


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


class Advice(models.Model):
    """A colleague's advice on a draft (an offer's version, a message): the same
    thread, with the same limit, wherever advice is asked. It informs; it never
    blocks. Each part adds what the advice is on."""

    TEXT_LIMIT = 5000

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=TEXT_LIMIT)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
        verbose_name_plural = "advice"

    @classmethod
    def checked_text(cls, text: str) -> str:
        """The advice as it is kept: trimmed, not empty, within the limit (a
        TextField's max_length is not checked by the database or full_clean)."""
        text = text.strip()
        if not text:
            raise ValidationError({"text": "Write your advice first."})
        limit = max_length(cls, "text")  # the field's, as every limit is read
        if len(text) > limit:
            raise ValidationError(
                {"text": f"Keep advice to {limit} characters (it has {len(text)})."}
            )
        return text
