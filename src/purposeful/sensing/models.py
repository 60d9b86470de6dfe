"""Sensing: signals from all teams grouped into emerging needs and possibilities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils import timezone

if TYPE_CHECKING:
    from purposeful.feedback.models import Signal


class SensingRun(models.Model):
    """One computation of the groups; the latest finished run is what members see."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    method = models.CharField(max_length=40, blank=True)
    signal_count = models.PositiveIntegerField(default=0)
    group_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    error = models.TextField(blank=True)
    # the background task computing it, so a run whose task ended without it
    # (failed, or its worker lost too often) is not waited on for ever
    task_id = models.CharField(max_length=64, blank=True)
    # the direction all its signals' embeddings share, taken out of centroids
    # (empty for the word-based fallback); the next run compares in this space
    centre = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        "people.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Sensing run {self.pk} ({self.get_state_display()})"


class SignalGroup(models.Model):
    """Similar signals: an emerging need or possibility, named by its telling words.

    ``key`` stays the same across runs when a new run's group continues this one
    (by centroid, or by shared signals for the word-based fallback), so links to
    a group, and the name a member gave it, survive recomputation.
    """

    class Trend(models.TextChoices):
        NEW = "new", "New"
        GROWING = "growing", "Growing"
        STEADY = "steady", "Steady"
        FADING = "fading", "Fading"

    run = models.ForeignKey(SensingRun, on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(max_length=16, db_index=True)
    # what is shown: the name a member gave it, else the one sensing found
    name = models.CharField(max_length=200)
    found_name = models.CharField(max_length=200, blank=True)
    given_name = models.CharField(max_length=120, blank=True)
    words = models.JSONField(default=list)
    # the signal most typical of the group, shown as a quote
    quote = models.TextField(blank=True)
    # mean sentence embedding of its signals (empty for the word-based fallback)
    centroid = models.JSONField(default=list, blank=True)
    trend = models.CharField(max_length=10, choices=Trend.choices, default=Trend.NEW)
    previous_size = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    team_count = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField(default=timezone.now)
    signals: models.ManyToManyField[Signal, GroupMembership] = models.ManyToManyField(
        "feedback.Signal", through="GroupMembership", related_name="sensing_groups"
    )

    class Meta:
        ordering = ["-size", "key"]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="sensing_group_key")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sensing:group_detail", args=[self.key])


class GroupMembership(models.Model):
    group = models.ForeignKey(
        SignalGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    signal = models.ForeignKey(
        "feedback.Signal", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "signal"], name="sensing_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signal_id} in {self.group_id}"
