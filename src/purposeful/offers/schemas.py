"""API input and output shapes for offers, kept apart on purpose."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import StrictInt

from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLine
from purposeful.offers.models import Advice, AdviceRequest, OfferVersion


def _version(name: str) -> int:
    return max_length(OfferVersion, name)


class BreakdownOut(Schema):
    part: str
    amount: str


class AllyRefOut(Schema):
    id: int
    name: str
    website: str


class ImageOut(Schema):
    position: int
    url: str
    alt: str
    width: int
    height: int


class OfferVersionOut(Schema):
    number: int
    status: str
    name: str
    summary: str
    need: str
    purpose_fit: str
    proud_of: str
    not_good_yet: str
    not_for: str
    best_we_can: str
    price: str | None
    currency: str
    price_unit: str
    price_covers: str
    price_breakdown: list[BreakdownOut]
    availability: str
    allies: list[AllyRefOut]
    images: list[ImageOut]
    change_note: str
    created_at: datetime
    published_at: datetime | None


class OfferOut(Schema):
    id: int
    slug: str
    team: int
    team_name: str
    state: str
    url: str
    published: OfferVersionOut | None
    draft: OfferVersionOut | None = Field(
        None, description="The draft being worked on; only for members."
    )
    version: str | None = Field(
        None,
        description="Optimistic-locking token of what a change starts from (members "
        "only); send it back as `version` or `If-Match` to refuse overwriting "
        "someone else's change with 409.",
    )


class _Canvas(Schema):
    summary: str = Field("", max_length=_version("summary"))
    need: str = Field("", max_length=_version("need"))
    purpose_fit: str = Field("", max_length=_version("purpose_fit"))
    proud_of: str = Field("", max_length=_version("proud_of"))
    not_good_yet: str = Field("", max_length=_version("not_good_yet"))
    not_for: str = Field("", max_length=_version("not_for"))
    best_we_can: str = Field("", max_length=_version("best_we_can"))
    price: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2)
    currency: str = Field("EUR", min_length=3, max_length=_version("currency"))
    price_unit: str = Field("", max_length=_version("price_unit"))
    price_covers: str = Field("", max_length=_version("price_covers"))
    price_breakdown: str = Field("", max_length=_version("price_breakdown"))
    availability: str = Field("", max_length=_version("availability"))
    allies: list[StrictInt] = []


class OfferIn(_Canvas):
    team: StrictInt = Field(..., description="The id of the team that makes the offer.")
    name: OneLine = Field(..., min_length=1, max_length=_version("name"))


class OfferPatch(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=_version("name"))
    summary: str | None = Field(None, max_length=_version("summary"))
    need: str | None = Field(None, max_length=_version("need"))
    purpose_fit: str | None = Field(None, max_length=_version("purpose_fit"))
    proud_of: str | None = Field(None, max_length=_version("proud_of"))
    not_good_yet: str | None = Field(None, max_length=_version("not_good_yet"))
    not_for: str | None = Field(None, max_length=_version("not_for"))
    best_we_can: str | None = Field(None, max_length=_version("best_we_can"))
    price: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2)
    currency: str | None = Field(None, min_length=3, max_length=_version("currency"))
    price_unit: str | None = Field(None, max_length=_version("price_unit"))
    price_covers: str | None = Field(None, max_length=_version("price_covers"))
    price_breakdown: str | None = Field(None, max_length=_version("price_breakdown"))
    availability: str | None = Field(None, max_length=_version("availability"))
    allies: list[StrictInt] | None = None
    change_note: str | None = Field(None, max_length=_version("change_note"))
    version: str | None = Field(
        None, max_length=100, description="The `version` the change starts from."
    )


class AdviceRequestIn(Schema):
    members: list[str] = Field([], description="Usernames of colleagues to ask.")
    teams: list[str] = Field([], description="Slugs of teams to ask.")
    message: str = Field("", max_length=max_length(AdviceRequest, "message"))


class AdviceRequestOut(Schema):
    id: int
    version: int
    asked_by: str | None
    member: str | None
    team: str | None
    message: str
    created_at: datetime


class AdviceIn(Schema):
    text: str = Field(..., min_length=1, max_length=max_length(Advice, "text"))


class AdviceOut(Schema):
    id: int
    version: int
    author: str | None
    text: str
    created_at: datetime


class AdviceThreadOut(Schema):
    requests: list[AdviceRequestOut]
    advice: list[AdviceOut]


class PublishIn(Schema):
    change_note: str | None = Field(None, max_length=_version("change_note"))


class OfferFindingOut(Schema):
    id: str
    severity: str
    message: str
    start: int
    end: int
    text: str
    suggestion: str | None
    field: str
    field_label: str


class OfferReviewOut(Schema):
    available: bool
    note: str
    findings: list[OfferFindingOut]
    counts: dict[str, int] = Field(
        ..., description="How many findings of each id (`family.category`)."
    )
