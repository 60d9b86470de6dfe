"""Reading the audit log: who changed what and when."""

from __future__ import annotations

from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django.db.models import QuerySet

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}


def audit_entries(
    *,
    actor: str | None = None,
    record_type: str | None = None,
    action: str | None = None,
    since: date | None = None,
) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by(
        "-timestamp", "-pk"
    )
    if actor:
        entries = entries.filter(actor__username=actor)
    if record_type and "." in record_type:
        app_label, model = record_type.split(".", 1)
        entries = entries.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    if action in ACTIONS:
        entries = entries.filter(action=ACTIONS[action])
    if since:
        entries = entries.filter(timestamp__date__gte=since)
    return entries


def audit_record_types() -> list[tuple[str, str]]:
    """(value, label) of every kind of record the log mentions, for a filter."""
    from django.contrib.contenttypes.models import ContentType

    ids = LogEntry.objects.values_list("content_type", flat=True).distinct()
    types = ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")
    return [(f"{t.app_label}.{t.model}", _label(t)) for t in types]


def _label(content_type: Any) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else content_type.model


def audit_entry_dict(entry: LogEntry) -> dict:
    return {
        "id": entry.pk,
        "at": entry.timestamp,
        "actor": entry.actor.username if entry.actor else None,
        "action": {v: k for k, v in ACTIONS.items()}.get(entry.action, "access"),
        "record_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "record_id": entry.object_pk,
        "record": entry.object_repr,
        "changes": _changes(entry),
    }


def _changes(entry: LogEntry) -> dict[str, list[Any]]:
    changes = entry.changes_dict or {}
    return {
        field: list(values) if isinstance(values, list | tuple) else values
        for field, values in changes.items()
    }
