"""What stewards are told about background work: the status page, the start
page, ``purposeful status`` and one e-mail per time work is stuck."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from purposeful.operations import services
from purposeful.operations.models import StuckAlert
from tests.operations.tasks_for_tests import pause

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_STUCK_MINUTES = 5


def _waiting(count: int = 1, *, since: timedelta) -> None:
    for _ in range(count):
        result = pause.enqueue(0, "/nonexistent")
        DBTaskResult.objects.filter(pk=result.id).update(
            enqueued_at=timezone.now() - since
        )


def _client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_work_waiting_a_moment_is_not_a_problem():
    _waiting(3, since=timedelta(seconds=30))
    current = services.health()
    assert current.ok
    assert current.waiting == 3


def test_work_waiting_long_with_no_worker_is_named_as_stuck():
    _waiting(2, since=timedelta(minutes=12))
    current = services.health()
    assert not current.ok
    assert current.problems == [
        "Background work is stuck: 2 tasks waiting, the oldest for 12 minutes; "
        "no task worker is running."
    ]


def test_work_scheduled_for_later_is_not_waiting():
    result = pause.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(0, "/x")
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    assert services.health().waiting == 0
    assert services.health().ok


def test_a_live_worker_that_does_not_keep_up_is_named_too():
    services.heartbeat("busy")
    _waiting(since=timedelta(minutes=7))
    (problem,) = services.health().problems
    assert "1 worker running but not keeping up" in problem
    assert services.health().workers_alive == 1


def test_failures_of_the_last_day_are_listed_with_their_error():
    result = pause.enqueue(0, "/x")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="builtins.ValueError",
        traceback="Traceback (most recent call last):\n  ...\nValueError: no such run",
    )
    current = services.health()
    assert current.failed_last_day == 1
    assert current.failures[0].error == "ValueError: no such run"
    assert current.failures[0].task.endswith("pause")


def test_stewards_are_emailed_once_while_work_stays_stuck(cast):
    _waiting(since=timedelta(minutes=20))
    assert services.alert_if_stuck() is not None
    assert services.alert_if_stuck() is None
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {cast.steward.email, cast.steward_in_team.email}
    assert "/status/" in mail.outbox[0].body
    assert StuckAlert.objects.get().emailed_to == 2


def test_a_new_alert_follows_only_once_work_flowed_again(cast):
    _waiting(since=timedelta(minutes=20))
    services.alert_if_stuck()
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    assert services.alert_if_stuck() is None  # closes the alert
    assert StuckAlert.objects.get().closed_at is not None
    _waiting(since=timedelta(minutes=20))
    assert services.alert_if_stuck() is not None
    assert len(mail.outbox) == 2


def test_stewards_see_the_status_page_and_others_do_not(cast):
    services.heartbeat("w1", tasks_done=4)
    _waiting(since=timedelta(minutes=9))
    page = _client(cast.steward).get("/status/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Background work is stuck" in text
    assert "Alive" in text
    assert _client(cast.owner).get("/status/").status_code == 403


def test_the_status_page_answers_json_for_monitoring(cast):
    _waiting(since=timedelta(minutes=9))
    body = _client(cast.steward).get("/status/?format=json").json()
    assert body["ok"] is False
    assert body["waiting"] == 1
    assert body["oldest_waiting_at"]


def test_stewards_are_told_on_their_start_page_when_work_is_stuck(cast):
    _waiting(since=timedelta(minutes=9))
    assert "Background work is stuck" in (
        _client(cast.steward).get("/start/").content.decode()
    )
    assert "Background work is stuck" not in (
        _client(cast.owner).get("/start/").content.decode()
    )
