from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class ProblemOut(Schema):
    line: int
    name: str
    errors: list[str]
    duplicate: str


class ImportOut(Schema):
    id: int
    team: int
    filename: str
    encoding: str
    delimiter: str
    mapping: dict[str, str]
    state: str
    total_rows: int
    processed_rows: int
    percent: int
    error_rows: int
    duplicate_rows: int
    planned_accounts: int
    planned_contacts: int
    accounts_created: int
    contacts_created: int
    message: str
    problems: list[ProblemOut]
    created_at: datetime
    finished_at: datetime | None


ExportRecord = dict[str, Any]
