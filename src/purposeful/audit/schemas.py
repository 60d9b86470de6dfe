from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str | None
    action: str
    record_type: str
    record_id: str
    record: str
    changes: dict[str, Any]
