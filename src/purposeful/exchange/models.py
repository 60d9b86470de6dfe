"""Imports of customer records from a CSV file: checked first, then written at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ImportJob(models.Model):
    """One uploaded file: its preview, and — once confirmed — its import.

    The decoded text is kept only until the import is written or discarded.
    """

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Checked, waiting for confirmation"
        QUEUED = "queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"
        DISCARDED = "discarded", "Discarded"

    team = models.ForeignKey(
        "organisation.Team", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=200)
    encoding = models.CharField(max_length=40)
    delimiter = models.CharField(max_length=4)
    mapping = models.JSONField(default=dict)
    # headers of the columns no field reads, so the preview can say they are left out
    ignored_columns = models.JSONField(default=list, blank=True)
    content = models.TextField(blank=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PREVIEWED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    planned_accounts = models.PositiveIntegerField(default=0)
    planned_contacts = models.PositiveIntegerField(default=0)
    # the rows with errors or duplicates, as {"line", "errors", "duplicate", "name"}
    problems = models.JSONField(default=list)
    accounts_created = models.PositiveIntegerField(default=0)
    contacts_created = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.team}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:import_detail", args=[self.pk])

    @property
    def owning_team(self):
        return self.team

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state == self.State.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def encoding_label(self) -> str:
        from purposeful.exchange.csvimport import encoding_label

        return encoding_label(self.encoding)

    @property
    def is_running(self) -> bool:
        return self.state in {self.State.QUEUED, self.State.IMPORTING}
