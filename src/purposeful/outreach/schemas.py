"""API input and output shapes for messages, the lens and site reviews, kept apart."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, ModelSchema, Schema

from purposeful.limits import max_length
from purposeful.oneline import OneLine
from purposeful.outreach.models import (
    BODY_MAX_CHARS,
    Advice,
    Message,
    SiteReview,
    SubstantiatedClaim,
)

Channel = Literal["newsletter", "social", "web", "ad", "email"]


class MessageOut(Schema):
    id: int
    team: str
    title: str
    channel: str
    audience: str
    body: str
    state: str
    advice_note: str
    offers: list[str]
    published_at: datetime | None
    published_where: str
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    versions: int
    version: str = Field(
        description="Optimistic-locking token; send it back as `version` or "
        "`If-Match` when changing, to get 409 instead of overwriting a newer change."
    )


class MessageIn(Schema):
    team: str = Field(
        ..., description="The team's slug; you must be one of its members."
    )
    title: OneLine = Field(..., min_length=1, max_length=max_length(Message, "title"))
    body: str = Field(..., min_length=1, max_length=BODY_MAX_CHARS)
    channel: Channel = "newsletter"
    audience: str = Field("", max_length=max_length(Message, "audience"))
    offers: list[str] = Field([], description="Slugs of the offers it speaks about.")


class MessagePatch(Schema):
    title: OneLine | None = Field(
        None, min_length=1, max_length=max_length(Message, "title")
    )
    body: str | None = Field(None, min_length=1, max_length=BODY_MAX_CHARS)
    channel: Channel | None = None
    audience: str | None = Field(None, max_length=max_length(Message, "audience"))
    offers: list[str] | None = None
    version: str | None = Field(
        None, max_length=100, description="The `version` the change starts from."
    )


class VersionOut(Schema):
    number: int
    title: str
    body: str
    author: str | None
    created_at: datetime
    counts: dict[str, int]
    purpose_alignment: float | None
    alignment_method: str


class AdviceAskIn(Schema):
    note: str = Field("", max_length=2000)


class MessageAdviceIn(Schema):
    text: str = Field(..., min_length=1, max_length=max_length(Advice, "text"))


class MessageAdviceOut(Schema):
    id: int
    author: str | None
    text: str
    created_at: datetime


class MessagePublishIn(Schema):
    where: str = Field(
        ..., min_length=1, max_length=max_length(Message, "published_where")
    )
    when: datetime | None = None


class ReviewIn(Schema):
    text: str = Field(..., max_length=BODY_MAX_CHARS)
    markup: Literal["text", "markdown", "html"] = "markdown"


class FindingOut(Schema):
    id: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    line: int
    column: int
    text: str
    suggestion: str | None
    rule: str
    source: str
    confidence: float | None


class ReviewOut(Schema):
    findings: list[FindingOut]
    counts: dict[str, int]
    suppressed: list[dict]
    purpose_alignment: float | None
    alignment_method: str | None


class ClaimSchema(Schema):
    text: str = Field(
        ..., min_length=1, max_length=max_length(SubstantiatedClaim, "text")
    )
    evidence: str = Field(
        ..., min_length=1, max_length=max_length(SubstantiatedClaim, "evidence")
    )


class LensSettingsOut(Schema):
    competitors: list[str]
    allies: list[str]
    grades: dict[str, str]
    errors_block_publishing: bool
    claims: list[ClaimSchema]
    config_toml: str


class LensSettingsPatch(Schema):
    competitors: list[str] | None = None
    allies: list[str] | None = None
    grades: dict[str, str] | None = None
    errors_block_publishing: bool | None = None
    claims: list[ClaimSchema] | None = None


class SiteReviewOut(ModelSchema):
    """A site review's progress."""

    # ninja reads the primary key as "may be null"; it is always there
    id: int
    percent: int

    class Meta:
        model = SiteReview
        fields = [
            "id",
            "name",
            "state",
            "pages_total",
            "pages_done",
            "created_at",
            "finished_at",
        ]
