"""The task worker beside the web server is kept running."""

from __future__ import annotations

import logging
import sys
import time

from purposeful.server import TaskWorkerSupervisor


def _wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_task_worker_that_exits_is_started_again_with_one_log_line(caplog):
    exits = [sys.executable, "-c", "import sys; sys.exit(3)"]
    supervisor = TaskWorkerSupervisor(exits, backoff=(0.01,))
    with caplog.at_level(logging.WARNING, logger="purposeful.server"):
        supervisor.start()
        try:
            assert _wait_for(lambda: supervisor.restarts >= 2)
        finally:
            supervisor.stop()
    lines = [r.getMessage() for r in caplog.records if r.name == "purposeful.server"]
    assert lines[0] == "task worker exited with code 3; starting it again in 0.01 s"


def test_stopping_the_supervisor_stops_the_worker_for_good():
    sleeps = [sys.executable, "-c", "import time; time.sleep(60)"]
    supervisor = TaskWorkerSupervisor(sleeps, backoff=(0.01,))
    supervisor.start()
    assert _wait_for(lambda: supervisor._process is not None)
    supervisor.stop()
    assert supervisor._process.poll() is not None
    assert supervisor.restarts == 0


def test_web_workers_leave_ctrl_c_to_the_main_process():
    """A worker told to quit twice (Ctrl+C, then by the main process) could
    deadlock in gthread's shutdown until it was killed."""
    import signal

    from purposeful.server import _leave_ctrl_c_to_the_main_process

    before = signal.getsignal(signal.SIGINT)
    try:
        _leave_ctrl_c_to_the_main_process(None)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
