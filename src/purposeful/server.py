"""Serving the app with gunicorn, plus the background task worker beside it."""

from __future__ import annotations

import atexit
import subprocess
import sys

from gunicorn.app.base import BaseApplication


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


def run(*, host: str, port: int, workers: int, with_task_worker: bool) -> None:
    """Serve until interrupted. Django must already be set up and migrated."""
    from django.db import connections

    # Worker processes are forked: each must open its own database connection.
    connections.close_all()
    if with_task_worker:
        task_worker = subprocess.Popen([sys.executable, "-m", "purposeful", "worker"])
        atexit.register(task_worker.terminate)
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
        }
    ).run()
