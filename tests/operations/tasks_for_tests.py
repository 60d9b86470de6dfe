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
