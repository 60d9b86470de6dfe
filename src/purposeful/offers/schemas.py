"""API input and output shapes for offers, kept apart on purpose."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Field, ModelSchema, Schema
from pydantic import StrictInt

from purposeful.core.limits import max_length
from purposeful.core.locking import VERSION_TOKEN_MAX_LENGTH, version_token
from purposeful.core.oneline import OneLine
from purposeful.core.schemas import Username
from purposeful.offers.models import (
    Advice,
    AdviceRequest,
    Offer,
    OfferImage,
    OfferVersion,
)
from purposeful.offers.public import image_url
from purposeful.organisation.models import Ally
from purposeful.people.auth import viewer_of
from purposeful.permissions import Action, allowed


def _version(name: str) -> int:
    return max_length(OfferVersion, name)


class BreakdownOut(Schema):
    part: str
    amount: str


class AllyRefOut(ModelSchema):
    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    website: str

    class Meta:
        model = Ally
        fields = ["id", "name", "website"]


class ImageOut(ModelSchema):
    """A picture of a version, with the absolute address it is served at."""

    url: str
    alt: str

    class Meta:
        model = OfferImage
        fields = ["position", "width", "height"]

    @staticmethod
    def resolve_url(image: OfferImage, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(image_url(image))

    @staticmethod
    def resolve_alt(image: OfferImage) -> str:
        return image.alt_text


class OfferVersionOut(ModelSchema):
    """One version of the canvas, with its allies and pictures."""

    # ninja reads blank text as "may be null"; it is stored as "" instead
    status: str
    not_for: str
    price: str | None
    currency: str
    price_unit: str
    price_covers: str
    price_breakdown: list[BreakdownOut]
    availability: str
    allies: list[AllyRefOut]
    images: list[ImageOut]
    change_note: str

    class Meta:
        model = OfferVersion
        fields = [
            "number",
            "status",
            *OfferVersion.CANVAS_FIELDS,
            "change_note",
            "created_at",
            "published_at",
        ]

    @staticmethod
    def resolve_price(version: OfferVersion) -> str | None:
        return str(version.price) if version.price is not None else None

    @staticmethod
    def resolve_price_breakdown(version: OfferVersion) -> list[dict[str, str]]:
        return [
            {"part": label, "amount": amount}
            for label, amount in version.breakdown_lines
        ]

    @staticmethod
    def resolve_allies(version: OfferVersion) -> list[Ally]:
        return list(version.allies.all())

    @staticmethod
    def resolve_images(version: OfferVersion) -> list[OfferImage]:
        return list(version.images.all())


def _shown(
    offer: Offer, context: dict[str, Any]
) -> tuple[OfferVersion | None, OfferVersion | None]:
    """The published and the working version as the caller may see them:
    visitors get the published version of a published offer only."""
    versions = list(offer.versions.all())
    published = next((v for v in versions if v.is_published), None)
    working = next((v for v in versions if v.is_working), None)
    if not allowed(viewer_of(context["request"]), Action.VIEW_OFFER_DRAFT, offer):
        working = None
        if not offer.is_published:
            published = None
    return published, working


class OfferOut(ModelSchema):
    """An offer with the versions its caller may see."""

    id: int
    team_name: str
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

    class Meta:
        model = Offer
        fields = ["id", "slug", "team", "state"]

    @staticmethod
    def resolve_team_name(offer: Offer) -> str:
        return offer.team.name

    @staticmethod
    def resolve_url(offer: Offer, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(offer.get_absolute_url())

    @staticmethod
    def resolve_published(offer: Offer, context: dict[str, Any]) -> OfferVersion | None:
        return _shown(offer, context)[0]

    @staticmethod
    def resolve_draft(offer: Offer, context: dict[str, Any]) -> OfferVersion | None:
        return _shown(offer, context)[1]

    @staticmethod
    def resolve_version(offer: Offer, context: dict[str, Any]) -> str | None:
        """What a change starts from: the draft, else the published version."""
        published, working = _shown(offer, context)
        base = working or published
        viewer = viewer_of(context["request"])
        if base is None or not allowed(viewer, Action.VIEW_OFFER_DRAFT, offer):
            return None
        return version_token(base.pk, base.updated_at)


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
        None,
        max_length=VERSION_TOKEN_MAX_LENGTH,
        description="The `version` the change starts from.",
    )


class AdviceRequestIn(Schema):
    members: list[str] = Field([], description="Usernames of colleagues to ask.")
    teams: list[str] = Field([], description="Slugs of teams to ask.")
    message: str = Field("", max_length=max_length(AdviceRequest, "message"))


class AdviceRequestOut(ModelSchema):
    """Whom advice was asked of, on which version, by whom."""

    id: int
    version: int
    asked_by: Username
    member: Username
    team: str | None
    # ninja reads blank text as "may be null"; it is stored as "" instead
    message: str

    class Meta:
        model = AdviceRequest
        fields = [
            "id",
            "version",
            "asked_by",
            "member",
            "team",
            "message",
            "created_at",
        ]

    @staticmethod
    def resolve_version(request: AdviceRequest) -> int:
        return request.version.number

    @staticmethod
    def resolve_team(request: AdviceRequest) -> str | None:
        return request.team.slug if request.team else None


class AdviceIn(Schema):
    text: str = Field(..., min_length=1, max_length=max_length(Advice, "text"))


class AdviceOut(ModelSchema):
    """A colleague's advice on a version, with its author."""

    id: int
    version: int
    author: Username

    class Meta:
        model = Advice
        fields = ["id", "version", "author", "text", "created_at"]

    @staticmethod
    def resolve_version(advice: Advice) -> int:
        return advice.version.number


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
