"""Serving the app with gunicorn, plus the background task worker beside it."""

from __future__ import annotations

import atexit
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from gunicorn.app.base import BaseApplication

logger = logging.getLogger(__name__)


class TaskWorkerSupervisor:
    """Runs the background task worker and starts it again whenever it exits.

    A worker that stopped on an error ("database is locked") stayed stopped until
    someone restarted the server, and queued tasks waited for ever. It is started
    again after a short pause, longer each time it fails quickly, and each exit
    is logged in one line.
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        backoff: Sequence[float] = (1, 2, 5, 10, 30),
        healthy_after: float = 60.0,
    ) -> None:
        self.command = list(command)
        self.backoff = tuple(backoff)
        self.healthy_after = healthy_after
        self.restarts = 0
        # gunicorn forks its web workers from the process that holds this
        # supervisor; only that process may stop the task worker (at exit).
        self._owner = os.getpid()
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._supervise, name="task-worker-supervisor", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker and stop starting it again."""
        if os.getpid() != self._owner:
            return
        self._stopping.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        self._thread.join(timeout)

    def _supervise(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            # A process group of its own: Ctrl+C in the terminal reaches the
            # server, which stops the worker itself, so the worker is never seen
            # exiting on its own (and restarted) while the server stops.
            self._process = subprocess.Popen(self.command, process_group=0)
            if self._stopping.is_set():  # stopped while it was being started
                self._process.terminate()
            code = self._process.wait()
            if self._stopping.is_set():
                return
            # a worker that ran a good while before exiting starts the pauses over
            if time.monotonic() - started >= self.healthy_after:
                failures = 0
            delay = self.backoff[min(failures, len(self.backoff) - 1)]
            failures += 1
            logger.warning(
                "task worker exited with code %s; starting it again in %g s",
                code,
                delay,
            )
            if self._stopping.wait(delay):
                return
            self.restarts += 1


class BackgroundWorkWatch:
    """Looks every minute whether background work is stuck and, once per time
    it is, e-mails the stewards (``operations.services.alert_if_stuck``).

    It runs in the server, not in the task worker: a worker that is gone cannot
    say so, and a server started with ``--no-task-worker`` still watches the
    workers on other machines.
    """

    def __init__(self, interval: float = 60.0) -> None:
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, name="background-work-watch", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()

    def _watch(self) -> None:
        from django.db import connections

        from purposeful.operations.services import alert_if_stuck

        while not self._stopping.wait(self.interval):
            try:
                alert_if_stuck()
            except Exception:  # a database restarting: the next look tries again
                logger.warning("could not check background work", exc_info=True)
            finally:
                # closed between looks: gunicorn forks web workers from this
                # process, which must not inherit an open connection
                connections.close_all()


def _leave_ctrl_c_to_the_main_process(worker: object) -> None:
    """Ctrl+C reaches every process of the terminal's group; the main process
    then tells each web worker to quit. A worker that also reacted to Ctrl+C
    itself could be told twice while shutting down its threads, and gthread
    then deadlocks until it is killed ("Worker was sent SIGKILL!")."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Application(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from purposeful.wsgi import application

        return application


STOPPED = "Purposeful stopped."


def run(*, host: str, port: int, workers: int, with_task_worker: bool) -> None:
    """Serve until interrupted. Django must already be set up and migrated.

    Ctrl+C or SIGTERM stops the web workers and the task worker, then prints
    one line; nothing else (gunicorn's notices are below its log level).
    """
    from django.db import connections

    # Worker processes are forked: each must open its own database connection.
    connections.close_all()
    supervisor: TaskWorkerSupervisor | None = None
    if with_task_worker:
        supervisor = TaskWorkerSupervisor(
            [sys.executable, "-m", "purposeful", "worker"]
        )
        supervisor.start()
        atexit.register(supervisor.stop)
    watch = BackgroundWorkWatch()
    watch.start()

    def on_exit(server: object) -> None:
        # gunicorn calls this in the main process only, after its workers left
        watch.stop()
        if supervisor is not None:
            supervisor.stop()
        print(STOPPED, file=sys.stderr, flush=True)

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _Application(
        {
            "bind": bind,
            "workers": workers,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 60,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "purposeful",
            "on_exit": on_exit,
            "post_worker_init": _leave_ctrl_c_to_the_main_process,
        }
    ).run()
