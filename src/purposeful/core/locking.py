"""Optimistic locking: an edit says which version it started from.

A form carries the version token of the record it showed (a hidden field) and
the API takes it as ``version`` in the body or an ``If-Match`` header. When the
record changed in between, the service raises :class:`EditConflict` instead of
overwriting the other person's work: pages re-render with the words kept and
the other change named, the API answers 409.

The token is derived from the record's ``updated_at`` (and, for offers, the
draft's id), so it needs no extra column.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

# The longest version token a form or an API body may carry back; a real one is
# an id and a timestamp, far shorter.
VERSION_TOKEN_MAX_LENGTH = 100


class EditConflict(ValidationError):
    """The record changed since the editor loaded it."""

    def __init__(self, message: str, *, current_version: str) -> None:
        super().__init__(message, code="conflict")
        self.current_version = current_version


def version_token(*parts: Any) -> str:
    """A short, stable token for a record's state: ids and timestamps joined."""
    out = []
    for part in parts:
        if isinstance(part, datetime):
            out.append(str(int(part.timestamp() * 1_000_000)))
        else:
            out.append(str(part))
    return "-".join(out)


def last_editor(record: Any) -> str | None:
    """Who made the latest logged change to ``record``, by name, if anyone."""
    try:
        from auditlog.models import LogEntry
    except ImportError:  # pragma: no cover - auditlog is a dependency
        return None
    entry = (
        LogEntry.objects.get_for_object(record)
        .select_related("actor")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None or entry.actor is None:
        return None
    return getattr(entry.actor, "name", None) or str(entry.actor)


def check_version(
    *,
    expected: str | None,
    current: str,
    what: str,
    record: Any = None,
    changed_at: datetime | None = None,
) -> None:
    """Raise :class:`EditConflict` when ``expected`` is given and is not ``current``."""
    if expected is None or expected == "" or expected.strip('"') == current:
        return
    who = last_editor(record) if record is not None else None
    when = (
        timezone.localtime(changed_at).strftime("%H:%M on %d %b")
        if changed_at is not None
        else None
    )
    at = f" at {when}" if when else ""
    raise EditConflict(
        f"{who or 'Someone'} changed {what}{at} while you were editing, so nothing was "
        "saved: your words are kept below. Compare them with the current version, "
        "then save again to replace it.",
        current_version=current,
    )


class VersionField(forms.CharField):
    """The hidden field that carries a version token through a form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", VERSION_TOKEN_MAX_LENGTH)
        super().__init__(**kwargs)


def form_conflict(
    form: forms.BaseForm,
    error: EditConflict,
    *,
    field: str = "expected_version",
    current: dict[str, Any] | None = None,
) -> None:
    """Show a conflict on a bound form and arm it to save on the next submit.

    ``current`` holds the record's current values by field name; the fields
    where they differ from what was submitted are named in the message.
    """
    message = error.messages[0]
    if current:
        differing = [
            str(getattr(form[name].field, "question", None) or form[name].label)
            for name in form.fields
            if name in current
            and name in form.cleaned_data
            and _norm(current[name]) != _norm(form.cleaned_data[name])
        ]
        if differing:
            message += " It now reads differently in: " + ", ".join(differing) + "."
    form.add_error(None, message)
    data = cast(QueryDict, form.data).copy()  # a bound form's data is a QueryDict
    data[form.add_prefix(field)] = error.current_version
    form.data = data


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    if value is None:
        return ""
    return value
