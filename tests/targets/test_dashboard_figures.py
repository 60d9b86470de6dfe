"""The dashboard's figures are kept with their age and counted again once due:
at once when counting is quick, by one background task when it is not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from purposeful.feedback import services as feedback
from purposeful.outreach.services import lens_settings_update
from purposeful.targets import dashboard
from purposeful.targets.models import DashboardFigures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _signals() -> int:
    return dashboard.figures().section("loop").rows[0][1]


def _record(cast, words="The saddle is too hard.") -> None:
    feedback.signal_record(actor=cast.owner, team=cast.team, kind="issue", words=words)


def _slow() -> None:
    """As if counting had taken a second: the next due refresh is a task's."""
    DashboardFigures.objects.update(seconds=1.0)


def test_the_figures_are_kept_and_not_counted_on_every_request(
    cast, django_assert_max_num_queries
):
    _record(cast)
    dashboard.figures()
    computed_at = DashboardFigures.objects.get().computed_at
    with django_assert_max_num_queries(8):  # the row and the lens settings
        assert _signals() == 1
    assert DashboardFigures.objects.get().computed_at == computed_at


def test_a_new_signal_is_counted_at_once_while_counting_is_quick(cast):
    assert _signals() == 0
    _record(cast)
    assert _signals() == 1
    assert not DBTaskResult.objects.filter(task_path__endswith="dashboard_refresh")


def test_when_counting_is_slow_the_page_shows_the_kept_figures_and_one_task_counts(
    cast, django_capture_on_commit_callbacks
):
    assert _signals() == 0
    _slow()
    _record(cast)
    with django_capture_on_commit_callbacks(execute=True):
        figures = dashboard.figures()
        dashboard.figures()  # another visitor meanwhile: no second task
    assert figures.refreshing
    assert figures.section("loop").rows[0][1] == 0  # the kept figures, not a scan
    assert (
        DBTaskResult.objects.filter(task_path__endswith="dashboard_refresh").count()
        == 1
    )
    # the worker runs it
    from purposeful.targets.tasks import dashboard_refresh

    dashboard_refresh.call()
    figures = dashboard.figures()
    assert not figures.refreshing
    assert figures.section("loop").rows[0][1] == 1


def test_figures_older_than_the_refresh_interval_are_due(cast, settings):
    settings.DASHBOARD_REFRESH_MINUTES = 10
    dashboard.figures()
    _slow()
    DashboardFigures.objects.update(computed_at=timezone.now() - timedelta(minutes=11))
    assert dashboard.figures().refreshing


def test_a_change_of_the_lens_settings_makes_the_figures_due(cast):
    dashboard.figures()
    _slow()
    lens_settings_update(actor=cast.steward, competitors="Speedy Bikes")
    assert dashboard.figures().refreshing


def test_the_page_and_the_api_say_when_the_figures_were_counted(cast, api):
    client = Client()
    client.force_login(cast.owner)
    html = client.get("/dashboard/").content.decode()
    assert "Counted at <time datetime=" in html
    assert "reload the page in a moment" not in html
    _slow()
    _record(cast)
    assert "reload the page in a moment" in client.get("/dashboard/").content.decode()
    body = api(cast.owner).get("/dashboard").json()
    assert body["refreshing"] is True
    assert body["computed_at"]
