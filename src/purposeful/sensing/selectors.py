"""Reads for sensing: the current groups, one group, counts per month."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from purposeful.feedback.models import Signal
from purposeful.sensing.models import SensingRun, SignalGroup

MONTHS = 12


def latest_run() -> SensingRun | None:
    return (
        SensingRun.objects.filter(state=SensingRun.State.FINISHED)
        .order_by("-created_at", "-pk")
        .first()
    )


def unplaced_count() -> int:
    """Signals in no current group: not yet a pattern (merged duplicates left out)."""
    run = latest_run()
    signals = Signal.objects.filter(merged_into__isnull=True)
    if run is None:
        return signals.count()
    return signals.exclude(sensing_groups__run=run).count()


# A run queued before runs knew their task is given this long before it is
# thought lost.
UNTRACKED_RUN_LIFETIME = timedelta(hours=1)


def run_is_dead(run: SensingRun) -> bool:
    """Whether a queued or running run will never finish: its task ended (failed,
    or given up after losing its worker) while the run did not."""
    from django_tasks.base import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    from purposeful.sensing.tasks import sensing_compute_task

    if not run.task_id:
        return timezone.now() - run.created_at > UNTRACKED_RUN_LIFETIME
    try:
        result = sensing_compute_task.get_result(run.task_id)
    except TaskResultDoesNotExist:
        return True
    except NotImplementedError:  # a backend that keeps no results cannot tell
        return False
    return result.status in {TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL}


def pending_run() -> SensingRun | None:
    """The run being computed, if it is still alive."""
    run = (
        SensingRun.objects.filter(
            state__in=[SensingRun.State.QUEUED, SensingRun.State.RUNNING]
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return None if run is None or run_is_dead(run) else run


def groups() -> QuerySet[SignalGroup]:
    run = latest_run()
    if run is None:
        return SignalGroup.objects.none()
    return SignalGroup.objects.filter(run=run).order_by("-size", "key")


def group_by_key(key: str) -> SignalGroup | None:
    return groups().filter(key=key[:16]).first()


def group_signals(group: SignalGroup) -> QuerySet[Signal]:
    return group.signals.select_related("team").order_by("-created_at", "-pk")


def _month_starts(now: datetime, n: int) -> list[datetime]:
    year, month = now.year, now.month
    starts = []
    for _ in range(n):
        starts.append(
            now.replace(
                year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0
            )
        )
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def monthly_counts(
    group: SignalGroup, *, months: int = MONTHS
) -> list[tuple[str, int]]:
    """Signals of the group per calendar month, the last ``months`` months, oldest first."""
    now = timezone.localtime()
    starts = _month_starts(now, months)
    found = {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in group.signals.filter(created_at__gte=starts[0])
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    }
    return [(s.strftime("%Y-%m"), found.get(s.strftime("%Y-%m"), 0)) for s in starts]


def group_monthly_counts(
    group_list: list[SignalGroup], *, months: int = 6
) -> dict[int, list[tuple[str, int]]]:
    """Per-month counts for many groups in one query (the overview's small charts)."""
    now = timezone.localtime()
    starts = _month_starts(now, months)
    labels = [s.strftime("%Y-%m") for s in starts]
    found: dict[int, dict[str, int]] = {g.pk: {} for g in group_list}
    rows = (
        SignalGroup.signals.through.objects.filter(
            group__in=group_list, signal__created_at__gte=starts[0]
        )
        .annotate(month=TruncMonth("signal__created_at"))
        .values("group_id", "month")
        .annotate(n=Count("pk"))
        .order_by("group_id", "month")
    )
    for row in rows:
        found[row["group_id"]][row["month"].strftime("%Y-%m")] = row["n"]
    return {pk: [(m, counts.get(m, 0)) for m in labels] for pk, counts in found.items()}
