"""What every app shares in the database: the answers kept for idempotency keys,
the shape of a colleague's advice, and of a request someone decides on."""

from __future__ import annotations

from typing import Any

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


class Decided(models.Model):
    """A request or proposal that someone answers (a request to join, a proposal
    that a colleague leaves, a hand-over): its state, who decided and when."""

    state: Any  # each kind has its own states
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def decide(self, state: str, *, by: Any, also: tuple[str, ...] = ()) -> None:
        """Record the decision ``by`` someone now; a record not stored yet is
        inserted whole, a stored one writes the decision and the fields ``also``."""
        self.state = state
        self.decided_by = by
        self.decided_at = timezone.now()
        if self._state.adding:
            self.save()
        else:
            self.save(update_fields=["state", "decided_by", "decided_at", *also])
