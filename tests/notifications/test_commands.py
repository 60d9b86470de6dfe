"""``purposeful notifications digest`` and ``purposeful sensing run``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core import mail

from purposeful import cli
from purposeful.notifications.models import Notification


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setattr(cli, "_setup_django", lambda **kwargs: None)
    monkeypatch.setattr(cli, "_migrate", lambda: None)
    return lambda *args: CliRunner().invoke(cli.main, list(args))


def test_digest_command_sends_waiting_notifications_once_a_day(cast, run):
    Notification.objects.create(
        member=cast.owner, topic="signals", source="signal:1",
        subject="A new signal to Workshop", body="x", delivery="digest",
    )  # fmt: skip
    result = run("notifications", "digest")
    assert result.exit_code == 0, result.output
    assert "Sent 1 digest e-mail." in result.output
    assert "A new signal to Workshop" in mail.outbox[0].body
    again = run("notifications", "digest")
    assert "less than a day ago" in again.output


def test_sensing_run_prints_the_groups(cast, run):
    from purposeful.feedback.models import Signal
    from tests.sensing.test_services import BRAKES, CARGO

    for words in BRAKES + CARGO:
        Signal.objects.create(team=cast.team, kind="need", words=words)
    result = run("sensing", "run")
    assert result.exit_code == 0, result.output
    assert "from 12 signals" in result.output
