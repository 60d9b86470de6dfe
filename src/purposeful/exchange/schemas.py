from __future__ import annotations

from typing import Any

from ninja import ModelSchema, Schema

from purposeful.exchange.models import ImportJob


class ProblemOut(Schema):
    line: int
    name: str
    errors: list[str]
    duplicate: str


class ImportOut(ModelSchema):
    """An import as stored, with its progress in percent."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    message: str
    # JSON fields, typed as they are written
    mapping: dict[str, str]
    problems: list[ProblemOut]
    percent: int

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "team",
            "filename",
            "encoding",
            "delimiter",
            "mapping",
            "state",
            "total_rows",
            "processed_rows",
            "error_rows",
            "duplicate_rows",
            "planned_accounts",
            "planned_contacts",
            "accounts_created",
            "contacts_created",
            "message",
            "problems",
            "created_at",
            "finished_at",
        ]


ExportRecord = dict[str, Any]
