"""Targets a team sets for itself, its reflective check-ins, and dashboard settings.

A target has no field naming anyone but its own team: it cannot be handed to
another team, and no one outside the team can write it (see ``permissions``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def format_number(value: Decimal | None) -> str:
    """8.00 as "8", 12.50 as "12.5": numbers as people write them."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


class Target(models.Model):
    """What a team wants to reach, why it serves the purpose, and for when."""

    class State(models.TextChoices):
        ACTIVE = "active", "Open"
        REACHED = "reached", "Reached"
        LET_GO = "let_go", "Let go"

    # What the team writes and may change later, in the order the form asks; the
    # form, the admin, the services and the API read this list.
    EDITABLE_FIELDS = (
        "title",
        "why",
        "measure_unit",
        "measure_target",
        "period_start",
        "period_end",
        "is_shared",
    )

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.CASCADE, related_name="targets"
    )
    title = models.CharField("what we want to reach", max_length=200)
    why = models.TextField(
        "how it serves the purpose",
        help_text="Why reaching this would serve the organisation's purpose.",
    )
    measure_unit = models.CharField(
        "unit",
        max_length=60,
        blank=True,
        help_text="Optional: what you count, e.g. 'repairs out of 10' or 'courses'.",
    )
    measure_target = models.DecimalField(
        "number",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Optional: the number the team sets itself.",
    )
    period_start = models.DateField("from")
    period_end = models.DateField("until")
    is_shared = models.BooleanField(
        "shared with the whole organisation",
        default=True,
        help_text="Untick to keep this target inside the team.",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    closing_note = models.TextField(
        blank=True,
        help_text="Why the team let the target go, or what reaching it taught.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period_end", "title", "pk"]
        indexes = [models.Index(fields=["team", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="target_period_in_order",
                violation_error_message="The period ends before it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("targets:detail", args=[self.pk])

    @property
    def owning_team(self):
        return self.team

    @property
    def has_measure(self) -> bool:
        return self.measure_target is not None

    @property
    def measure_display(self) -> str:
        if not self.has_measure:
            return ""
        return f"{format_number(self.measure_target)} {self.measure_unit}".strip()

    @property
    def is_open(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def is_let_go(self) -> bool:
        return self.state == self.State.LET_GO


class CheckIn(models.Model):
    """A reflection on a target: not a forecast, but what the team learned and senses."""

    class StillMakesSense(models.TextChoices):
        YES = "yes", "Yes, it still makes sense"
        UNSURE = "unsure", "We are not sure any more"
        NO = "no", "No, it no longer makes sense"

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="check_ins"
    )
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    learned = models.TextField("what we learned")
    sensed = models.TextField("what we sense", blank=True)
    still_makes_sense = models.CharField(
        "does the target still make sense?",
        max_length=10,
        choices=StillMakesSense.choices,
        default=StillMakesSense.YES,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "check-in"

    def __str__(self) -> str:
        return f"Check-in on {self.target} ({self.created_at:%Y-%m-%d})"

    @property
    def value_display(self) -> str:
        return format_number(self.value)

    @property
    def owning_team(self):
        return self.target.team


class Comment(models.Model):
    """A colleague's comment on a target; anyone who can read the target may write one."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.target}"


class DashboardSettings(models.Model):
    """The one row of dashboard settings; stewards choose whether it is public."""

    is_public = models.BooleanField(
        "show the purpose dashboard to visitors",
        default=False,
        help_text="The dashboard shows counts only: no names of customers or members.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "dashboard settings"
        verbose_name_plural = "dashboard settings"

    def __str__(self) -> str:
        return "Dashboard settings"


class DashboardFigures(models.Model):
    """The purpose dashboard's last computed figures: one row, kept with its age.

    ``targets.dashboard`` computes them off the request once they are due, so
    the page costs the same at any size.
    """

    figures = models.JSONField()
    # the month and the lens the figures were computed with
    basis = models.CharField(max_length=200)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    # something the figures count changed at this time
    changed_at = models.DateTimeField(null=True, blank=True)
    refresh_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "dashboard figures"
        verbose_name_plural = "dashboard figures"

    def __str__(self) -> str:
        return f"Dashboard figures of {self.computed_at:%Y-%m-%d %H:%M}"
