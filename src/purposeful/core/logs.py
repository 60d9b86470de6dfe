"""What reaches the terminal: the start banner, warnings and real errors.

A member who opened a page they may not change saw a clean "Not allowed" page
while the terminal printed a twenty-line traceback, and the task worker's line
per task scrolled everything else away; both looked like a crashing server.
"""

from __future__ import annotations

import logging

# Loggers whose 4xx records are a visitor's answer (403, 404, 405, 413), not a
# problem with the server.
_REQUEST_LOGGERS = ("django.request", "django.server")
_TASK_LOGGERS = ("django_tasks", "django_tasks_db")


def _is_under(name: str, parents: tuple[str, ...]) -> bool:
    return any(name == parent or name.startswith(parent + ".") for parent in parents)


class QuietFilter(logging.Filter):
    """Keeps the terminal to what an operator must act on.

    * a request answered with a 4xx is not logged (5xx still are, with the
      traceback); a suspicious request (``django.security``) is one line;
    * the task worker logs warnings and errors only, not a line per task, and
      not its own shutdown notice when the server stops it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if _is_under(record.name, _REQUEST_LOGGERS):
            return not (isinstance(status, int) and status < 500)
        if _is_under(record.name, ("django.security",)):
            record.exc_info = None
            record.exc_text = None
            return True
        if _is_under(record.name, _TASK_LOGGERS):
            if record.levelno < logging.WARNING:
                return False
            # "Received Terminated - shutting down gracefully...": the server
            # stopping its worker, which says so itself in one line.
            return not str(record.msg).startswith("Received ")
        return True
