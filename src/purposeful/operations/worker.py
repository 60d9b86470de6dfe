"""The task worker: django-tasks-db's worker with a heartbeat beside it."""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from purposeful.operations import services

logger = logging.getLogger(__name__)


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

    def run(self) -> None:
        self._beat()  # before the first claim: its task is never judged by age alone
        beating = threading.Thread(
            target=self._beat_loop, name="heartbeat", daemon=True
        )
        beating.start()
        try:
            super().run()
        finally:
            self._stop.set()
            beating.join(services.heartbeat_seconds() + 5)
            self._beat(stopped=True)

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
            # a database restarting or locked: the next beat tries again
            logger.warning("heartbeat not written: %s", error)
            connection.close()

    def _beat_loop(self) -> None:
        try:
            while not self._stop.wait(services.heartbeat_seconds()):
                self._beat()
                try:
                    services.reclaim()
                except DatabaseError as error:
                    logger.warning("could not look for lost tasks: %s", error)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection
