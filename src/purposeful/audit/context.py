"""Who the audit log names as the author of the writes in progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import auditlog_value, disable_auditlog
from auditlog.models import LogEntry
from django.db.models import Model


def audit_actor_set(member: Any) -> None:
    """Name ``member`` as the actor of this request's writes.

    The audit middleware records the signed-in user when a request starts; API
    calls authenticate later, with a token, so the API names its member here.
    """
    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = member


@contextmanager
def housekeeping(record: Model) -> Iterator[dict[str, tuple[Any, Any]]]:
    """System work that rebuilds derived records is logged once, as a summary.

    Replacing dozens of derived rows (sensing's groups) is one event for the
    people reading the log, not dozens of "system deleted …" entries. Inside the
    block nothing is logged record by record; the caller fills the dict it is
    given with what changed (``{"groups": (12, 14)}``), and one update entry on
    ``record`` says so once the block ends without an error.
    """
    changes: dict[str, tuple[Any, Any]] = {}
    with disable_auditlog():
        yield changes
    record.refresh_from_db()
    LogEntry.objects.log_create(
        record,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={name: [str(old), str(new)] for name, (old, new) in changes.items()},
    )
