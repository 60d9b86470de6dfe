"""``db_worker`` with heartbeats and reclaiming: what ``purposeful worker`` runs."""

from __future__ import annotations

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from purposeful.operations.worker import HeartbeatWorker


class Command(db_worker.Command):
    help = "Run the background task worker, with a heartbeat and lost-task reclaiming"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # db_worker's options, less --reload: a reloaded worker could be stopped
        # mid-task, which is what the heartbeat is there to survive, not to cause
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
