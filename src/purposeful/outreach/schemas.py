"""API input and output shapes for messages, the lens and site reviews, kept apart."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, ModelSchema, Schema

from purposeful.core.limits import max_length
from purposeful.core.locking import VERSION_TOKEN_MAX_LENGTH
from purposeful.core.oneline import OneLine
from purposeful.core.schemas import Username
from purposeful.outreach import lens_service, reviewing
from purposeful.outreach.models import (
    BODY_MAX_CHARS,
    Advice,
    LensSettings,
    Message,
    MessageVersion,
    SiteReview,
    SubstantiatedClaim,
)
from purposeful.outreach.services import message_edit_version

Channel = Literal["newsletter", "social", "web", "ad", "email"]


class MessageOut(ModelSchema):
    """A message as stored, with its team's slug, its offers and its version count."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    audience: str
    advice_note: str
    published_where: str
    team: str = Field(..., alias="team.slug")
    offers: list[str]
    created_by: Username
    versions: int
    version: str = Field(
        description="Optimistic-locking token; send it back as `version` or "
        "`If-Match` when changing, to get 409 instead of overwriting a newer change."
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "title",
            "channel",
            "audience",
            "body",
            "state",
            "advice_note",
            "published_at",
            "published_where",
            "created_at",
            "updated_at",
        ]

    @staticmethod
    def resolve_offers(message: Message) -> list[str]:
        # sorted here, not by the database: a list prefetches the offers of
        # every message at once, and an order_by() would query again per message
        return sorted(offer.slug for offer in message.offers.all())

    @staticmethod
    def resolve_versions(message: Message) -> int:
        # Lists annotate the count; a single message counts its own.
        if hasattr(message, "version_count"):
            return message.version_count
        return message.versions.count()

    @staticmethod
    def resolve_version(message: Message) -> str:
        return message_edit_version(message)


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
        None,
        max_length=VERSION_TOKEN_MAX_LENGTH,
        description="The `version` the change starts from.",
    )


class VersionOut(ModelSchema):
    """One version of a message, with its author and the lens's counts."""

    # stored as "" when blank, never null
    alignment_method: str
    author: Username
    counts: dict[str, int] = Field(..., alias="category_counts")

    class Meta:
        model = MessageVersion
        fields = [
            "number",
            "title",
            "body",
            "created_at",
            "purpose_alignment",
            "alignment_method",
        ]


class AdviceAskIn(Schema):
    note: str = Field("", max_length=max_length(Message, "advice_note"))


class MessageAdviceIn(Schema):
    text: str = Field(..., min_length=1, max_length=max_length(Advice, "text"))


class MessageAdviceOut(Schema):
    id: int
    author: Username
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


class LensSettingsOut(ModelSchema):
    """The lens settings, with the names one a line as lists and the TOML they make."""

    competitors: list[str]
    allies: list[str]
    grades: dict[str, str]
    claims: list[ClaimSchema]
    config_toml: str

    class Meta:
        model = LensSettings
        fields = ["competitors", "allies", "grades", "errors_block_publishing"]

    @staticmethod
    def resolve_competitors(settings: LensSettings) -> list[str]:
        return settings.competitor_names

    @staticmethod
    def resolve_allies(settings: LensSettings) -> list[str]:
        return settings.ally_names

    @staticmethod
    def resolve_claims(settings: LensSettings) -> list[SubstantiatedClaim]:
        return list(settings.claims.order_by("text", "pk"))

    @staticmethod
    def resolve_config_toml(settings: LensSettings) -> str:
        return reviewing.config_toml(lens_service.lens_config())


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
