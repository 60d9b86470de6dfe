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
    rebuilt = _Rebuilt()
    # the viewer's teams are read once (permissions.team_ids), however many
    # deleted records are judged
    for model in restricted_models():
        readable = Q(object_id__in=visible(viewer, model).values("pk"))
        gone = [
            pk
            for pk, record in rebuilt.gone(model).items()
            if _may_read(viewer, record)
        ]
        if gone:
            readable |= Q(object_id__in=gone)
        content_type = ContentType.objects.get_for_model(model)
        hidden |= Q(content_type=content_type) & ~readable
    return ~hidden


def _may_read(viewer: Any, record: Model) -> bool:
    try:
        return may_read(viewer, record)
    except ObjectDoesNotExist:
        # a record it depends on is gone without a trace in the log
        return False


class _Rebuilt:
    """Deleted records as the log kept them when they were deleted, each
    pointing to the records it referred to: live ones, or deleted ones rebuilt
    the same way. A few queries per kind of record, however many there are."""

    def __init__(self) -> None:
        self._records: dict[type[Model], dict[int, Model]] = {}

    def gone(
        self, model: type[Model], among: set[int] | None = None
    ) -> dict[int, Model]:
        known = self._records.setdefault(model, {})
        wanted = None if among is None else among - set(known)
        if wanted is None or wanted:
            self._rebuild(model, wanted, known)
        if among is None:
            return known
        return {pk: known[pk] for pk in among if pk in known}

    def _rebuild(
        self, model: type[Model], wanted: set[int] | None, known: dict[int, Model]
    ) -> None:
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            action=LogEntry.Action.DELETE,
            object_id__isnull=False,
        ).exclude(object_id__in=model._default_manager.values("pk"))
        if wanted is not None:
            entries = entries.filter(object_id__in=wanted)
        built: dict[int, Model] = {}
        for entry in entries.order_by("pk"):  # the last deletion wins
            built[entry.object_id] = self._from_entry(model, entry)
        known.update(built)
        self._attach_related(model, list(built.values()))

    @staticmethod
    def _from_entry(model: type[Model], entry: LogEntry) -> Model:
        record = model(pk=entry.object_id)
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
        return record

    def _attach_related(self, model: type[Model], records: list[Model]) -> None:
        for field in model._meta.concrete_fields:
            related = field.related_model if field.many_to_one else None
            if not isinstance(related, type):
                continue
            ids = {getattr(r, field.attname) for r in records} - {None}
            if not ids:
                continue
            found: dict[Any, Model] = dict(related._default_manager.in_bulk(ids))
            found.update(self.gone(related, ids - set(found)))
            for record in records:
                parent = found.get(getattr(record, field.attname))
                if parent is not None:
                    setattr(record, field.name, parent)


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
