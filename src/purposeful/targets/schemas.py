"""API input and output shapes for targets and check-ins, kept apart on purpose."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import StrictInt

from purposeful.oneline import OneLine


class TargetOut(Schema):
    id: int
    team: int
    team_name: str
    title: str
    why: str
    measure_unit: str
    measure_target: Decimal | None
    period_start: date
    period_end: date
    is_shared: bool
    state: str
    closing_note: str
    closed_at: datetime | None
    created_by: str | None
    created_at: datetime
    check_in_count: int


class TargetIn(Schema):
    team: StrictInt = Field(
        ..., description="The id of the team setting it: one of yours."
    )
    title: OneLine = Field(..., min_length=1, max_length=200)
    why: str = Field(..., min_length=1)
    measure_unit: str = Field("", max_length=60)
    measure_target: Decimal | None = None
    period_start: date
    period_end: date
    is_shared: bool = True


class TargetPatch(Schema):
    """Change what the target says, or close it: ``state`` reached / let_go / active."""

    title: OneLine | None = Field(None, min_length=1, max_length=200)
    why: str | None = Field(None, min_length=1)
    measure_unit: str | None = Field(None, max_length=60)
    measure_target: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    is_shared: bool | None = None
    state: str | None = Field(None, pattern="^(active|reached|let_go)$")
    closing_note: str | None = Field(
        None, description="Why the team let it go (required for let_go)."
    )


class CheckInOut(Schema):
    id: int
    target: int
    value: Decimal | None
    learned: str
    sensed: str
    still_makes_sense: str
    author: str | None
    created_at: datetime


class CheckInIn(Schema):
    value: Decimal | None = None
    learned: str = Field(..., min_length=1)
    sensed: str = ""
    still_makes_sense: str = Field("yes", pattern="^(yes|unsure|no)$")


class CommentOut(Schema):
    id: int
    target: int
    text: str
    author: str | None
    created_at: datetime


class CommentIn(Schema):
    text: str = Field(..., min_length=1, max_length=4000)


class DashboardRowOut(Schema):
    label: str
    count: int


class DashboardSectionOut(Schema):
    key: str
    title: str
    available: bool
    rows: list[DashboardRowOut]


class LensCategoryOut(Schema):
    category: str
    counts: list[int]


class LensTrendOut(Schema):
    available: bool
    months: list[str]
    categories: list[LensCategoryOut]
    texts_reviewed: int


class DashboardOut(Schema):
    sections: list[DashboardSectionOut]
    lens: LensTrendOut
