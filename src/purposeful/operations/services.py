"""Background work that cannot silently stop: heartbeats, reclaiming, health.

Tasks are django-tasks rows run by ``purposeful worker``. A worker writes a
heartbeat every few seconds; a task still ``RUNNING`` under a worker that went
quiet for longer than the lease lost its worker (``kill -9``, a machine gone)
and is put back in the queue for another, up to a bounded number of attempts,
then failed with the reason kept. Health is what stewards read on the status
page and ``purposeful status``, and what they are e-mailed about when work is
stuck.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from purposeful import events
from purposeful.core.siteurl import absolute
from purposeful.operations.models import StuckAlert, WorkerHeartbeat

logger = logging.getLogger(__name__)


KEEP_WORKERS_FOR = timedelta(days=7)


class WorkerLost(Exception):
    """The worker running a task stopped before finishing it, too often."""


def heartbeat_seconds() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 5))


def lease() -> timedelta:
    """How long a worker may stay silent before its running task is taken back."""
    return timedelta(seconds=float(getattr(settings, "TASK_LEASE_SECONDS", 60)))


def max_attempts() -> int:
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", 3))


def stuck_after() -> timedelta:
    return timedelta(minutes=float(getattr(settings, "TASKS_STUCK_MINUTES", 5)))


def heartbeat(
    worker_id: str,
    *,
    current_task: str = "",
    tasks_done: int = 0,
    stopped: bool = False,
) -> None:
    """Record that ``worker_id`` is alive (or, with ``stopped``, that it left)."""
    now = timezone.now()
    values: dict[str, Any] = {
        "seen_at": now,
        "current_task": current_task,
        "tasks_done": tasks_done,
        "stopped_at": now if stopped else None,
    }
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(**values)
    if not updated:
        # a new worker: the rows of workers long gone are let go of, so the
        # table holds about a week of restarts, not every one ever
        WorkerHeartbeat.objects.filter(seen_at__lt=now - KEEP_WORKERS_FOR).delete()
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            **values,
        )


def _lost_workers(worker_ids: set[str], now: datetime) -> set[str]:
    """Which of these workers are gone: stopped, or silent for longer than the lease."""
    alive = set(
        WorkerHeartbeat.objects.filter(
            worker_id__in=worker_ids,
            stopped_at__isnull=True,
            seen_at__gte=now - lease(),
        ).values_list("worker_id", flat=True)
    )
    return worker_ids - alive


def reclaim(now: datetime | None = None) -> dict[str, int]:
    """Put back in the queue every running task whose worker is gone.

    A task that has already been started ``max_attempts`` times is failed
    instead, with the reason as its error, so a task that kills its worker
    cannot take every worker down in turn. Counts what was done.
    """
    now = now or timezone.now()
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "pk", "worker_ids", "started_at"
        )
    )
    last_worker = {pk: ids[-1] for pk, ids, _ in running if ids}
    lost = _lost_workers(set(last_worker.values()), now)
    done = {"requeued": 0, "failed": 0}
    for pk, worker_ids, started_at in running:
        if not worker_ids:
            continue
        # a worker that claimed the task and died before its first heartbeat
        # has no row; its task is judged by when it started
        if last_worker[pk] not in lost or (started_at and now - started_at < lease()):
            continue
        tasks = DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, worker_ids=worker_ids
        )
        if len(worker_ids) < max_attempts():
            if tasks.update(status=TaskResultStatus.READY, started_at=None):
                done["requeued"] += 1
                logger.warning(
                    "task %s lost its worker %s; queued again", pk, worker_ids[-1]
                )
        elif tasks.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{__name__}.{WorkerLost.__qualname__}",
            traceback=(
                f"{WorkerLost.__qualname__}: the worker running this task stopped "
                f"before it finished, {len(worker_ids)} times; it is not tried again."
            ),
        ):
            done["failed"] += 1
            logger.error(
                "task %s lost its worker %d times; failed", pk, len(worker_ids)
            )
            task = DBTaskResult.objects.get(pk=pk)
            events.emit(
                events.TaskAbandoned(
                    task_path=task.task_path,
                    args=tuple(task.args_kwargs.get("args", ())),
                )
            )
    return done


@dataclass(frozen=True)
class Worker:
    worker_id: str
    host: str
    pid: int
    started_at: datetime
    seen_at: datetime
    current_task: str
    tasks_done: int
    alive: bool


@dataclass(frozen=True)
class Failure:
    task: str
    finished_at: datetime | None
    error: str


@dataclass(frozen=True)
class Health:
    """Background work at one moment: who works, what waits, what failed."""

    checked_at: datetime
    workers: list[Worker]
    waiting: int
    oldest_waiting_at: datetime | None
    running: int
    failed_last_day: int
    failures: list[Failure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def workers_alive(self) -> int:
        return sum(1 for worker in self.workers if worker.alive)

    def as_dict(self) -> dict[str, Any]:
        def when(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "ok": self.ok,
            "checked_at": when(self.checked_at),
            "problems": self.problems,
            "workers": [
                {
                    "id": w.worker_id,
                    "host": w.host,
                    "pid": w.pid,
                    "alive": w.alive,
                    "started_at": when(w.started_at),
                    "seen_at": when(w.seen_at),
                    "current_task": w.current_task or None,
                    "tasks_done": w.tasks_done,
                }
                for w in self.workers
            ],
            "waiting": self.waiting,
            "oldest_waiting_at": when(self.oldest_waiting_at),
            "running": self.running,
            "failed_last_day": self.failed_last_day,
            "failures": [
                {"task": f.task, "finished_at": when(f.finished_at), "error": f.error}
                for f in self.failures
            ],
        }


def _task_name(task_path: str) -> str:
    module, _, name = task_path.rpartition(".")
    app = module.removeprefix("purposeful.").split(".")[0]
    return f"{app}: {name.replace('_', ' ')}" if module else task_path


def health(now: datetime | None = None) -> Health:
    """Read the state of background work; a few queries, whatever the queue's size."""
    now = now or timezone.now()
    recent = now - timedelta(days=1)
    workers = [
        Worker(
            worker_id=row.worker_id,
            host=row.host,
            pid=row.pid,
            started_at=row.started_at,
            seen_at=row.seen_at,
            current_task=row.current_task,
            tasks_done=row.tasks_done,
            alive=row.stopped_at is None and row.seen_at >= now - lease(),
        )
        # the workers of the last day: a machine that left stays visible a while
        for row in WorkerHeartbeat.objects.filter(seen_at__gte=recent)[:20]
    ]
    ready = DBTaskResult.objects.ready()
    waiting = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=recent
    )
    failures = [
        Failure(
            task=_task_name(path),
            finished_at=finished,
            error=(traceback.strip().splitlines() or [exception])[-1][:300],
        )
        for path, finished, traceback, exception in failed.order_by(
            "-finished_at"
        ).values_list("task_path", "finished_at", "traceback", "exception_class_path")[
            :10
        ]
    ]
    problems = []
    alive = sum(1 for worker in workers if worker.alive)
    if oldest is not None and now - oldest > stuck_after():
        minutes = int((now - oldest).total_seconds() // 60)
        who = (
            "no task worker is running"
            if not alive
            else f"{alive} worker{'s' if alive != 1 else ''} running but not keeping up"
        )
        problems.append(
            f"Background work is stuck: {waiting} task{'s' if waiting != 1 else ''} "
            f"waiting, the oldest for {minutes} minutes; {who}."
        )
    return Health(
        checked_at=now,
        workers=workers,
        waiting=waiting,
        oldest_waiting_at=oldest,
        running=running,
        failed_last_day=failed.count(),
        failures=failures,
        problems=problems,
    )


def alert_if_stuck(current: Health | None = None) -> StuckAlert | None:
    """E-mail the stewards once when background work becomes stuck.

    Sent at once, not through the task queue, which is what is stuck. The alert
    stays open until work flows again; only then can a new one be sent.
    """
    from purposeful.people.models import Member

    current = current or health()
    if current.ok:
        StuckAlert.objects.filter(is_open=True).update(
            is_open=None, closed_at=timezone.now()
        )
        return None
    if StuckAlert.objects.filter(is_open=True).exists():
        return None
    reason = " ".join(current.problems)
    try:
        with transaction.atomic():
            alert = StuckAlert.objects.create(reason=reason)
    except IntegrityError:
        return None  # another server opened it a moment ago
    stewards = list(
        Member.objects.filter(is_active=True, is_steward=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if stewards:
        try:
            send_mail(
                "Purposeful: background work is stuck",
                f"{reason}\n\nE-mails, notifications and webhooks wait until it "
                f"runs again. What the installation knows: {absolute('/status/')}"
                "\n\nStart the worker with `purposeful worker`, or restart "
                "`purposeful serve`, which runs one beside the web server.",
                None,
                stewards,
            )
        except Exception:  # a mail server that is down too must not hide the alert
            logger.exception("could not e-mail the stewards about stuck work")
        else:
            alert.emailed_to = len(stewards)
            alert.save(update_fields=["emailed_to"])
    logger.error("%s", reason)
    return alert
