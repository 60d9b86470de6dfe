from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class ErasureIn(Schema):
    reason: str = ""


class ErasureOut(Schema):
    id: int
    contact_id: int
    account: int | None
    team: int | None
    erased_at: datetime
    reason: str
    changed: dict[str, int]


class ErasureChangeOut(Schema):
    record_type: str
    record_id: int
    record: str
    field: str
    before: str
    after: str


class ErasurePreviewOut(Schema):
    contact_id: int
    changes: list[ErasureChangeOut]


PersonalDataOut = dict[str, Any]
