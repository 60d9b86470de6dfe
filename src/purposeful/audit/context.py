"""Who the audit log names as the author of the writes in progress."""

from __future__ import annotations

from typing import Any

from auditlog.context import auditlog_value


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
