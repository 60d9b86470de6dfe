"""Background work that cannot silently stop: leases, reclaiming, bounded attempts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from purposeful.operations import services
from purposeful.operations.models import WorkerHeartbeat
from tests.operations.tasks_for_tests import pause

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_LEASE_SECONDS = 60
    settings.TASK_MAX_ATTEMPTS = 3


def _running(*worker_ids: str, started_ago: timedelta = timedelta(minutes=5)):
    result = pause.enqueue(0, "/nonexistent")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=list(worker_ids),
        started_at=timezone.now() - started_ago,
    )
    return result.id


def _heard(worker_id: str, ago: timedelta, *, stopped: bool = False) -> None:
    services.heartbeat(worker_id, stopped=stopped)
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        seen_at=timezone.now() - ago
    )


def _status(pk) -> str:
    return DBTaskResult.objects.get(pk=pk).status


def test_a_task_whose_worker_went_quiet_is_queued_again():
    _heard("gone", timedelta(minutes=2))
    pk = _running("gone")
    assert services.reclaim() == {"requeued": 1, "failed": 0}
    task = DBTaskResult.objects.get(pk=pk)
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == ["gone"]  # the attempt stays counted
    assert DBTaskResult.objects.ready().filter(pk=pk).exists()


def test_a_task_whose_worker_is_alive_is_left_alone():
    _heard("alive", timedelta(seconds=3))
    pk = _running("alive", started_ago=timedelta(hours=2))
    assert services.reclaim() == {"requeued": 0, "failed": 0}
    assert _status(pk) == TaskResultStatus.RUNNING


def test_a_worker_that_stopped_cleanly_leaves_no_task_running():
    _heard("stopped", timedelta(seconds=1), stopped=True)
    pk = _running("stopped")
    services.reclaim()
    assert _status(pk) == TaskResultStatus.READY


def test_a_worker_never_heard_from_is_judged_by_when_its_task_started():
    recent = _running("unknown", started_ago=timedelta(seconds=5))
    old = _running("unknown", started_ago=timedelta(minutes=5))
    services.reclaim()
    assert _status(recent) == TaskResultStatus.RUNNING
    assert _status(old) == TaskResultStatus.READY


def test_a_task_that_lost_its_worker_too_often_fails_with_the_reason_kept():
    _heard("third", timedelta(minutes=2))
    pk = _running("first", "second", "third")
    assert services.reclaim() == {"requeued": 0, "failed": 1}
    task = DBTaskResult.objects.get(pk=pk)
    assert task.status == TaskResultStatus.FAILED
    assert task.finished_at is not None
    assert task.exception_class_path.endswith("WorkerLost")
    assert "3 times" in task.traceback
    assert task.task_result.errors[0].traceback == task.traceback


def test_only_the_last_worker_of_a_task_counts():
    # tried before by a worker now gone; running now under a live one
    _heard("gone", timedelta(hours=1))
    _heard("alive", timedelta(seconds=1))
    pk = _running("gone", "alive")
    services.reclaim()
    assert _status(pk) == TaskResultStatus.RUNNING


def test_a_heartbeat_keeps_one_row_per_worker():
    services.heartbeat("w", current_task="abc", tasks_done=1)
    services.heartbeat("w", tasks_done=2)
    row = WorkerHeartbeat.objects.get()
    assert (row.tasks_done, row.current_task, row.stopped_at) == (2, "", None)
    services.heartbeat("w", tasks_done=2, stopped=True)
    assert WorkerHeartbeat.objects.get().stopped_at is not None


def test_an_import_and_a_site_review_whose_task_was_given_up_are_marked_stopped(
    cast,
):
    from purposeful.exchange.models import ImportJob
    from purposeful.exchange.tasks import import_run
    from purposeful.outreach.models import SiteReview
    from purposeful.outreach.tasks import review_site

    job = ImportJob.objects.create(
        team=cast.team, created_by=cast.owner, state=ImportJob.State.IMPORTING
    )
    review = SiteReview.objects.create(name="Our site", state=SiteReview.State.RUNNING)
    _heard("gone", timedelta(minutes=2))
    for task, pk in ((import_run, job.pk), (review_site, review.pk)):
        result = task.enqueue(pk)
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING,
            worker_ids=["a", "b", "gone"],
            started_at=timezone.now() - timedelta(minutes=5),
        )
    assert services.reclaim()["failed"] == 2
    job.refresh_from_db()
    review.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "stopped before it finished" in job.message
    assert review.state == SiteReview.State.FAILED
    assert "pages reviewed so far are kept" in review.problem


def test_a_new_worker_lets_go_of_the_rows_of_workers_gone_for_a_week():
    _heard("last-month", timedelta(days=30))
    _heard("yesterday", timedelta(days=1))
    services.heartbeat("new")
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {
        "yesterday",
        "new",
    }


def test_only_the_tasks_of_the_lost_worker_change_not_those_of_look_alikes():
    _heard("gone", timedelta(minutes=2))
    for alive in ("gone-2", "gon", "GONE"):
        _heard(alive, timedelta(seconds=1))
    lost = _running("gone")
    others = [_running(alive) for alive in ("gone-2", "gon", "GONE")]
    waiting = pause.enqueue(0, "/nonexistent").id
    done = _running("gone")
    DBTaskResult.objects.filter(pk=done).update(status=TaskResultStatus.SUCCESSFUL)

    assert services.reclaim() == {"requeued": 1, "failed": 0}
    assert _status(lost) == TaskResultStatus.READY
    assert [_status(pk) for pk in others] == [TaskResultStatus.RUNNING] * 3
    assert _status(waiting) == TaskResultStatus.READY
    assert _status(done) == TaskResultStatus.SUCCESSFUL


def test_a_given_up_task_stops_only_its_own_record(cast):
    from purposeful.exchange.models import ImportJob
    from purposeful.exchange.tasks import import_run
    from purposeful.outreach.models import SiteReview

    importing = ImportJob.State.IMPORTING
    mine = ImportJob.objects.create(
        team=cast.team, created_by=cast.owner, state=importing
    )
    # look-alikes: another import of the same team and member, and a site
    # review whose id is the same number as the import's
    other = ImportJob.objects.create(
        team=cast.team, created_by=cast.owner, state=importing
    )
    SiteReview.objects.filter(pk=mine.pk).delete()
    review = SiteReview.objects.create(
        pk=mine.pk, name="Same number", state=SiteReview.State.RUNNING
    )
    _heard("gone", timedelta(minutes=2))
    result = import_run.enqueue(mine.pk)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=["a", "b", "gone"],
        started_at=timezone.now() - timedelta(minutes=5),
    )
    services.reclaim()
    states = dict(ImportJob.objects.values_list("pk", "state"))
    assert states == {mine.pk: ImportJob.State.FAILED, other.pk: importing}
    review.refresh_from_db()
    assert review.state == SiteReview.State.RUNNING
