"""The task worker: django-tasks-db's worker with a heartbeat beside it."""

from __future__ import annotations

import logging
import threading
import time

from django.db import DatabaseError, OperationalError, connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from purposeful.operations import services

logger = logging.getLogger(__name__)

# seconds between tries while the database is unreachable
OUTAGE_PAUSES = (1, 2, 5, 10, 30)
OUTAGE_OVER_AFTER = 120.0


class HeartbeatWorker(Worker):
    """Runs tasks as django-tasks-db does, and tells the installation it is alive.

    A thread beside the task loop writes the heartbeat every few seconds, also
    while a long task runs, and takes back the tasks of workers that went quiet
    (``services.reclaim``), so a worker killed mid-task costs a retry, not the
    task.
    """

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.current_task = ""
        self._stop = threading.Event()
        self._beat_failing = False

    def run(self) -> None:
        self._beat()  # before the first claim: its task is never judged by age alone
        beating = threading.Thread(
            target=self._beat_loop, name="heartbeat", daemon=True
        )
        beating.start()
        try:
            self._run_through_outages()
        finally:
            self._stop.set()
            beating.join(services.heartbeat_seconds() + 5)
            self._beat(stopped=True)

    def _run_through_outages(self) -> None:
        """Keep taking tasks when the database goes away for a while (a
        PostgreSQL restart, a failover): wait, with growing pauses, and go on,
        instead of leaving the queue to whoever restarts the process."""
        failures, last_failure = 0, 0.0
        while True:
            try:
                super().run()
                return
            except OperationalError as error:
                if not self.running:
                    return
                if time.monotonic() - last_failure > OUTAGE_OVER_AFTER:
                    failures = 0  # a new outage starts the pauses over
                pause = OUTAGE_PAUSES[min(failures, len(OUTAGE_PAUSES) - 1)]
                failures, last_failure = failures + 1, time.monotonic()
                first_line = (str(error).strip().splitlines() or [repr(error)])[0]
                logger.warning(
                    "the database is unreachable (%s); trying again in %g s",
                    first_line,
                    pause,
                )
                connection.close()
                if self._stop.wait(pause):
                    return

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task = str(db_task_result.pk)
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task = ""

    def _beat(self, *, stopped: bool = False) -> None:
        try:
            services.heartbeat(
                self.worker_id,
                current_task=self.current_task,
                tasks_done=self._run_tasks,
                stopped=stopped,
            )
        except DatabaseError as error:
            # a database restarting or locked: the next beat tries again, and
            # an outage is logged once, not at every beat
            if not self._beat_failing:
                logger.warning("heartbeat not written: %s", error)
            self._beat_failing = True
            connection.close()
        else:
            self._beat_failing = False

    def _beat_loop(self) -> None:
        try:
            while not self._stop.wait(services.heartbeat_seconds()):
                self._beat()
                if self._beat_failing:
                    continue  # the database is away; nothing to reclaim with
                try:
                    services.reclaim()
                except DatabaseError as error:
                    logger.warning("could not look for lost tasks: %s", error)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection
