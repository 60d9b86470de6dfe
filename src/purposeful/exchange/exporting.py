"""Export of accounts, contacts, signals and conversations as CSV or JSON rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from purposeful.core import csvfile
from purposeful.feedback.models import Signal
from purposeful.relationships.models import Account, Contact, Conversation

KINDS = ("accounts", "contacts", "signals", "conversations")
# "csv" opens safely in a spreadsheet; "plain-csv" keeps every value as stored
FORMATS = ("csv", "plain-csv", "json")
EXTENSIONS = {"csv": "csv", "plain-csv": "csv", "json": "json"}
FORMAT_LABELS = {
    "csv": "CSV for a spreadsheet",
    "plain-csv": "plain CSV",
    "json": "JSON",
}

COLUMNS: dict[str, list[str]] = {
    "accounts": ["id", "name", "kind", "team", "notes", "created_at", "updated_at"],
    "contacts": [
        "id", "account_id", "account", "team", "name", "email", "phone", "notes",
        "consents_to_contact", "consent_recorded_at", "created_at",
    ],
    "signals": [
        "id", "team", "kind", "source", "state", "words", "account_id", "account",
        "sender_name", "sender_email", "tags", "created_at",
    ],
    "conversations": [
        "id", "account_id", "account", "team", "kind", "member", "contact_id",
        "contact", "happened_at", "summary",
    ],
}  # fmt: skip


def _when(value: Any) -> str:
    return value.isoformat() if value else ""


def _queryset(kind: str) -> QuerySet:
    if kind == "accounts":
        return Account.objects.select_related("team").order_by("pk")
    if kind == "contacts":
        return Contact.objects.select_related("account__team").order_by("pk")
    if kind == "signals":
        return (
            Signal.objects.select_related("team", "account")
            .prefetch_related("tags")
            .order_by("pk")
        )
    if kind == "conversations":
        return Conversation.objects.select_related(
            "account__team", "member", "contact"
        ).order_by("pk")
    raise ValueError(f"Unknown export: {kind}")


def _record(kind: str, o: Any) -> dict[str, Any]:
    if kind == "accounts":
        return {
            "id": o.pk, "name": o.name, "kind": o.kind, "team": o.team.slug,
            "notes": o.notes, "created_at": _when(o.created_at),
            "updated_at": _when(o.updated_at),
        }  # fmt: skip
    if kind == "contacts":
        return {
            "id": o.pk, "account_id": o.account_id, "account": o.account.name,
            "team": o.account.team.slug, "name": o.name, "email": o.email,
            "phone": o.phone, "notes": o.notes,
            "consents_to_contact": o.consents_to_contact,
            "consent_recorded_at": _when(o.consent_recorded_at),
            "created_at": _when(o.created_at),
        }  # fmt: skip
    if kind == "signals":
        return {
            "id": o.pk, "team": o.team.slug, "kind": o.kind, "source": o.source,
            "state": o.state, "words": o.words, "account_id": o.account_id,
            "account": o.account.name if o.account else "",
            "sender_name": o.sender_name, "sender_email": o.sender_email,
            "tags": [t.name for t in o.tags.all()],
            "created_at": _when(o.created_at),
        }  # fmt: skip
    return {
        "id": o.pk, "account_id": o.account_id, "account": o.account.name,
        "team": o.account.team.slug, "kind": o.kind,
        "member": o.member.username if o.member else "",
        "contact_id": o.contact_id, "contact": o.contact.name if o.contact else "",
        "happened_at": _when(o.happened_at), "summary": o.summary,
    }  # fmt: skip


def count(kind: str) -> int:
    return _queryset(kind).count()


def records(
    kind: str, *, offset: int = 0, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """Records of ``kind``, oldest first, as plain values (all, or one page)."""
    queryset = _queryset(kind)
    if limit is not None:
        queryset = queryset[offset : offset + limit]
    elif offset:
        queryset = queryset[offset:]
    for o in queryset.iterator(chunk_size=2000):
        yield _record(kind, o)


def csv_chunks(kind: str, *, for_spreadsheets: bool = True) -> Iterator[str]:
    rows = ([record[c] for c in COLUMNS[kind]] for record in records(kind))
    return csvfile.chunks(COLUMNS[kind], rows, for_spreadsheets=for_spreadsheets)


def json_chunks(kind: str) -> Iterator[str]:
    yield "["
    for n, record in enumerate(records(kind)):
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def chunks(kind: str, fmt: str) -> Iterator[str]:
    if kind not in KINDS:
        raise ValueError(f"Choose one of: {', '.join(KINDS)}.")
    if fmt not in FORMATS:
        raise ValueError(f"Choose one of: {', '.join(FORMATS)}.")
    if fmt == "json":
        return json_chunks(kind)
    return csv_chunks(kind, for_spreadsheets=fmt == "csv")
