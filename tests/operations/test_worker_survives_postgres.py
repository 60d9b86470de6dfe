"""PostgreSQL restarted under ``purposeful serve``: the task worker it supervises
comes back by itself and e-mails queued afterwards go out.

A throwaway cluster of its own (the benchmarks' ``Cluster``), a real server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ON_SQLITE = not os.environ.get("DATABASE_URL", "").startswith("postgres")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(ON_SQLITE, reason="runs in the PostgreSQL pass of the suite"),
]


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_queued_emails_go_out_after_a_postgres_restart_under_serve(tmp_path: Path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import load

    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL server binaries are not installed")
    cluster = load.Cluster()
    env = load.load_env(str(tmp_path), cluster.start())
    env.update(PYTHONPATH=str(ROOT), PURPOSEFUL_WORKER_HEARTBEAT_SECONDS="0.5")
    env.pop("EMAIL_HOST", None)  # e-mail goes to the outbox file

    def purposeful(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "purposeful", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def alive_workers() -> int:
        result = purposeful("status", "--format", "json")
        return sum(w["alive"] for w in json.loads(result.stdout or "{}")["workers"])

    def subjects() -> list[str]:
        box = tmp_path / "outbox.mbox"
        text = box.read_text() if box.exists() else ""
        return re.findall(r"^Subject: (.+)$", text, flags=re.MULTILINE)

    try:
        server = load.start_server(env, load.free_port(), workers=1)
        try:
            assert _wait_for(lambda: alive_workers() >= 1, 60)
            cluster.restart(down_seconds=3)
            queued = purposeful(
                "manage",
                "shell",
                "-c",
                "from tests.operations.tasks_for_tests import send_note\n"
                "for n in range(5): send_note.enqueue(n)",
            )
            assert queued.returncode == 0, queued.stderr
            assert _wait_for(lambda: len(subjects()) == 5, 90), purposeful(
                "status"
            ).stdout
        finally:
            load.stop_server(server)
    finally:
        cluster.stop()
    assert sorted(subjects()) == [f"Note {n}" for n in range(5)]
