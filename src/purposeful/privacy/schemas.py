from __future__ import annotations

from typing import Any

from ninja import ModelSchema, Schema

from purposeful.privacy.models import Erasure


class ErasureIn(Schema):
    reason: str = ""


class ErasureOut(ModelSchema):
    """An erasure as recorded: when, and how many of the contact's records it changed."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    reason: str
    # table → number of records changed, as the service writes it
    changed: dict[str, int]

    class Meta:
        model = Erasure
        fields = [
            "id",
            "contact_id",
            "account",
            "team",
            "erased_at",
            "reason",
            "changed",
        ]


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
