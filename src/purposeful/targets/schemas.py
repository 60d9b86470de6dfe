"""API input and output shapes for targets and check-ins, kept apart on purpose."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, ModelSchema, Schema
from pydantic import StrictInt

from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLine
from purposeful.core.schemas import Username
from purposeful.targets.models import CheckIn, Comment, Target


class TargetOut(ModelSchema):
    """A target as stored, with its team's name, its author and its check-in count."""

    # ninja reads a blank field as "may be null" (and the primary key too); these
    # are always there, blank text stored as ""
    id: int
    measure_unit: str
    closing_note: str
    team_name: str = Field(..., alias="team.name")
    created_by: Username
    check_in_count: int

    class Meta:
        model = Target
        fields = [
            "id",
            "team",
            *Target.EDITABLE_FIELDS,
            "state",
            "closing_note",
            "closed_at",
            "created_at",
        ]

    @staticmethod
    def resolve_check_in_count(target: Target) -> int:
        # Lists annotate the count; a single target counts its own.
        if hasattr(target, "check_in_count"):
            return target.check_in_count
        return target.check_ins.count()


class TargetIn(Schema):
    team: StrictInt = Field(
        ..., description="The id of the team setting it: one of yours."
    )
    title: OneLine = Field(..., min_length=1, max_length=max_length(Target, "title"))
    why: str = Field(..., min_length=1)
    measure_unit: str = Field("", max_length=max_length(Target, "measure_unit"))
    measure_target: Decimal | None = None
    period_start: date
    period_end: date
    is_shared: bool = True


class TargetPatch(Schema):
    """Change what the target says, or close it: ``state`` reached / let_go / active."""

    title: OneLine | None = Field(
        None, min_length=1, max_length=max_length(Target, "title")
    )
    why: str | None = Field(None, min_length=1)
    measure_unit: str | None = Field(
        None, max_length=max_length(Target, "measure_unit")
    )
    measure_target: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    is_shared: bool | None = None
    state: str | None = Field(None, pattern="^(active|reached|let_go)$")
    closing_note: str | None = Field(
        None, description="Why the team let it go (required for let_go)."
    )


class CheckInOut(ModelSchema):
    """A check-in as stored, with its author's username."""

    # always there; blank text is stored as "", never null
    id: int
    sensed: str
    author: Username

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "target",
            "value",
            "learned",
            "sensed",
            "still_makes_sense",
            "created_at",
        ]


class CheckInIn(Schema):
    value: Decimal | None = None
    learned: str = Field(..., min_length=1)
    sensed: str = ""
    still_makes_sense: str = Field("yes", pattern="^(yes|unsure|no)$")


class CommentOut(ModelSchema):
    """A comment as stored, with its author's username."""

    id: int
    author: Username

    class Meta:
        model = Comment
        fields = ["id", "target", "text", "created_at"]


class CommentIn(Schema):
    text: str = Field(..., min_length=1, max_length=max_length(Comment, "text"))


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
    computed_at: datetime = Field(
        description="When these figures were counted; they are kept, not counted per request"
    )
    refreshing: bool = Field(
        description="Newer figures are being counted; ask again in a moment"
    )
    sections: list[DashboardSectionOut]
    lens: LensTrendOut
