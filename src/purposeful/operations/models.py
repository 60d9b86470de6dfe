"""What the installation knows of its own background work."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One task worker process, as it last said it was alive.

    A worker writes its row when it starts and again every few seconds; a task
    that is running under a worker whose row went quiet has lost its worker
    (killed, or its machine gone) and is given to another.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    current_task = models.CharField(max_length=64, blank=True)
    tasks_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class StuckAlert(models.Model):
    """A time background work was stuck, so stewards are e-mailed once for it."""

    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    emailed_to = models.PositiveIntegerField(default=0)
    # True while open, NULL once closed: unique, so at most one alert is open and
    # two servers noticing the same stuck queue at once e-mail once (NULLs repeat)
    is_open = models.BooleanField(null=True, default=True, unique=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.reason
