"""Members of the organisation, their invitations and personal API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone


def token_digest(raw: str) -> str:
    """Tokens and invitation keys are stored only as a SHA-256 digest."""
    return hashlib.sha256(raw.encode()).hexdigest()


class Member(AbstractUser):
    """A person in the organisation. No one is a manager; stewards run the installation."""

    display_name = models.CharField(max_length=150, blank=True)
    about = models.TextField(
        blank=True, help_text="A few words about you and your work."
    )
    is_steward = models.BooleanField(
        default=False,
        help_text="Stewards invite people and configure the installation. "
        "It is a technical role, not a boss.",
    )

    class Meta:
        ordering = ["display_name", "username"]
        verbose_name = "member"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:member_detail", args=[self.username])

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Invitation(models.Model):
    """A link a steward sends to a new member; it works once and expires."""

    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    as_steward = models.BooleanField(default=False)
    teams = models.ManyToManyField("organisation.Team", blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired


class ApiToken(models.Model):
    """A personal token for the JSON API, sent as ``Authorization: Bearer …``."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
