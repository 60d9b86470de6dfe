"""Customers (accounts) owned by teams, their contacts, conversations,
hand-overs between teams and referrals to allies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from purposeful.core import models as core_models


class Account(models.Model):
    """A customer organisation or person. Owned by a team, never by one person."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        PERSON = "person", "Person"

    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.ORGANISATION
    )
    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="accounts"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["team", "name"], name="account_team_name"),
            models.Index(fields=["name"], name="account_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("relationships:account_detail", args=[self.pk])

    @property
    def owning_team(self):
        return self.team


class Contact(models.Model):
    """A person at a customer; contacted only with their consent."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    consents_to_contact = models.BooleanField(
        "agrees to be contacted",
        default=False,
        help_text="Only when the person said yes: we write to them about their "
        "bikes and our offers, nothing else.",
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["email"], name="contact_email")]

    def __str__(self) -> str:
        return self.name

    @property
    def owning_team(self):
        return self.account.team


class Conversation(models.Model):
    """A call, visit, e-mail or meeting with a customer: who, when, what was said."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        VISIT = "visit", "Visit"
        EMAIL = "email", "E-mail"
        MEETING = "meeting", "Meeting"

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="conversations"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CALL)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="conversations",
        verbose_name="who talked with them",
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )
    happened_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-happened_at"], name="conversation_when")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.account} on {self.happened_at:%Y-%m-%d}"

    @property
    def owning_team(self):
        return self.account.team


class Handover(core_models.Decided):
    """An account moving from one team to another: proposed, then accepted or not."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="handovers"
    )
    from_team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="+"
    )
    to_team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(state="proposed"),
                name="one_open_handover_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.from_team} → {self.to_team}"

    @property
    def owning_team(self):
        return self.from_team

    @property
    def receiving_team(self):
        return self.to_team

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PROPOSED


class Referral(models.Model):
    """We pointed a customer to an ally who serves their need better."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="referrals"
    )
    # The ally's name is kept, so the record survives the ally leaving the directory.
    ally = models.ForeignKey(
        "organisation.Ally",
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals",
    )
    ally_name = models.CharField(max_length=200)
    reason = models.TextField(
        help_text="What they need and why the ally serves it better."
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.account} → {self.ally_name}"

    @property
    def owning_team(self):
        return self.account.team
