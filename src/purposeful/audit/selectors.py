"""Reading the audit log: who changed what and when.

An entry shows a record's values, so it is shown only to whoever may read the
record (``purposeful.permissions.visible``); an entry about a deleted record
is judged by the values the log kept when it was deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet

from purposeful.permissions import may_read, restricted_models, visible

ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}


def audit_entries(
    *,
    viewer: Any,
    actor: str | None = None,
    record_type: str | None = None,
    action: str | None = None,
    since: date | None = None,
) -> QuerySet[LogEntry]:
    entries = (
        LogEntry.objects.select_related("actor", "content_type")
        .filter(audit_readable_by(viewer))
        .order_by("-timestamp", "-pk")
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


def audit_readable_by(viewer: Any) -> Q:
    """The entries about records the viewer may read."""
    hidden = Q(pk__in=[])
    for model in restricted_models():
        readable = Q(object_id__in=visible(viewer, model).values("pk"))
        gone = _readable_deleted_ids(viewer, model)
        if gone:
            readable |= Q(object_id__in=gone)
        hidden |= Q(content_type=ContentType.objects.get_for_model(model)) & ~readable
    return ~hidden


def _readable_deleted_ids(viewer: Any, model: type[Model]) -> list[int]:
    ids = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            action=LogEntry.Action.DELETE,
            object_id__isnull=False,
        )
        .exclude(object_id__in=model._default_manager.values("pk"))
        .values_list("object_id", flat=True)
        .distinct()
    )
    rebuilt: dict[tuple[type[Model], int], Model | None] = {}
    return [
        pk
        for pk in ids
        if (record := _as_deleted(model, pk, rebuilt)) is not None
        and _may_read(viewer, record)
    ]


def _may_read(viewer: Any, record: Model) -> bool:
    try:
        return may_read(viewer, record)
    except ObjectDoesNotExist:
        # a record it depends on is gone without a trace in the log
        return False


def _as_deleted(
    model: type[Model], pk: int, rebuilt: dict[tuple[type[Model], int], Model | None]
) -> Model | None:
    """The record as the log kept it when it was deleted, with the deleted
    records it pointed to attached the same way."""
    key = (model, pk)
    if key in rebuilt:
        return rebuilt[key]
    rebuilt[key] = None
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
            action=LogEntry.Action.DELETE,
        )
        .order_by("-pk")
        .first()
    )
    if entry is None:
        return None
    record = model(pk=pk)
    values = entry.changes_dict or {}
    for field in model._meta.concrete_fields:
        if field.name not in values or field.primary_key:
            continue
        old = values[field.name][0]
        try:
            value = None if old in (None, "None") else field.to_python(old)
        except (ValidationError, TypeError, ValueError):
            continue
        setattr(record, field.attname, value)
        related = field.related_model if field.many_to_one else None
        if (
            value is not None
            and isinstance(related, type)
            and not related._default_manager.filter(pk=value).exists()
        ):
            parent = _as_deleted(related, value, rebuilt)
            if parent is not None:
                setattr(record, field.name, parent)
    rebuilt[key] = record
    return record


def audit_record_types(viewer: Any) -> list[tuple[str, str]]:
    """(value, label) of every kind of record the log shows the viewer, for a filter."""
    ids = (
        LogEntry.objects.filter(audit_readable_by(viewer))
        .values_list("content_type", flat=True)
        .distinct()
    )
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
