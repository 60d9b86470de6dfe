"""A task slow enough to kill its worker in the middle of, for the reclaim test."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def pause(seconds: float, folder: str) -> str:
    """Note each start in ``started``, wait, then write ``done``."""
    with (Path(folder) / "started").open("a") as started:
        started.write("start\n")
    time.sleep(seconds)
    (Path(folder) / "done").write_text("done")
    return "done"


@task()
def send_note(number: int) -> None:
    """An e-mail sent by the worker, as notifications and replies are."""
    from django.core.mail import send_mail

    send_mail(f"Note {number}", "Sent by the task worker.", None, ["a@example.org"])
