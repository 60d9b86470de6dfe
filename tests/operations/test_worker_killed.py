"""The worker killed in the middle of a task, as an operator's ``kill -9`` would:
another worker takes the task back once the lease ran out and finishes it.

Real processes on a real data directory; nothing is simulated.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PURPOSEFUL_DATA_DIR=str(data_dir),
        PURPOSEFUL_WORKER_HEARTBEAT_SECONDS="0.5",
        PURPOSEFUL_TASK_LEASE_SECONDS="3",
        PYTHONPATH=str(ROOT),  # the worker imports the test's task
    )
    return env


def _purposeful(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "purposeful", *args],
        env=_env(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _worker(data_dir: Path) -> subprocess.Popen:
    with (data_dir / "worker.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "purposeful", "worker"],
            env=_env(data_dir),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )


def _wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_task_whose_worker_was_killed_is_finished_by_the_next(tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    assert _purposeful(tmp_path, "manage", "migrate", "-v", "0").returncode == 0
    enqueued = _purposeful(
        tmp_path,
        "manage",
        "shell",
        "-c",
        "from tests.operations.tasks_for_tests import pause; "
        f"print(pause.enqueue(4, {str(work)!r}).id)",
    )
    assert enqueued.returncode == 0, enqueued.stderr
    first = _worker(tmp_path)
    try:
        assert _wait_for(lambda: (work / "started").exists()), (
            tmp_path / "worker.log"
        ).read_text()[-2000:]
        os.killpg(first.pid, signal.SIGKILL)
    finally:
        first.wait(10)
    assert not (work / "done").exists()

    stuck = json.loads(_purposeful(tmp_path, "status", "--format", "json").stdout)
    assert stuck["running"] == 1  # still RUNNING under a worker that is gone
    assert len(stuck["workers"]) == 1

    second = _worker(tmp_path)
    try:
        assert _wait_for(lambda: (work / "done").exists()), (
            tmp_path / "worker.log"
        ).read_text()[-2000:]
    finally:
        second.terminate()
        second.wait(20)
    assert (work / "started").read_text().count("start") == 2

    status = _purposeful(tmp_path, "status", "--format", "json")
    assert status.returncode == 0, status.stdout + status.stderr
    after = json.loads(status.stdout)
    assert (after["running"], after["waiting"], after["failed_last_day"]) == (0, 0, 0)
    # the killed worker is gone; the second stopped cleanly
    assert [w["alive"] for w in after["workers"]] == [False, False]


def test_status_says_in_lines_what_it_says_in_json(tmp_path: Path):
    result = _purposeful(tmp_path, "status")
    assert result.returncode == 0, result.stderr
    assert "Waiting: 0" in result.stdout
    assert "Workers alive: 0" in result.stdout
