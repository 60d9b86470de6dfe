"""Reads for pages, the feed and the API. Visitors only ever get published versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Manager, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from purposeful.offers.models import Advice, AdviceRequest, Offer, OfferVersion

if TYPE_CHECKING:
    from purposeful.people.models import Member

    pass


def _latest_published_number() -> Subquery:
    return Subquery(
        OfferVersion.objects.filter(
            offer=OuterRef("offer"), status=OfferVersion.Status.PUBLISHED
        )
        .order_by()
        .values("offer")
        .annotate(n=Max("number"))
        .values("n")[:1]
    )


def catalogue() -> QuerySet[OfferVersion]:
    """The published version of every offer in the catalogue, by name."""
    return (
        OfferVersion.objects.filter(
            offer__state=Offer.State.PUBLISHED,
            status=OfferVersion.Status.PUBLISHED,
            number=_latest_published_number(),
        )
        .select_related("offer__team")
        .prefetch_related("images", "allies")
        .order_by("name", "pk")
    )


def public_version(slug: str) -> OfferVersion | None:
    """What a visitor may see at /offers/<slug>/: None unless the offer is published."""
    return catalogue().filter(offer__slug=slug).first()


def recent_publications(limit: int = 30) -> QuerySet[OfferVersion]:
    """Published versions of offers still in the catalogue, newest first (the feed)."""
    return (
        OfferVersion.objects.filter(
            offer__state=Offer.State.PUBLISHED, status=OfferVersion.Status.PUBLISHED
        )
        .select_related("offer__team")
        .order_by("-published_at", "-pk")[:limit]
    )


def offers_for_members(*, state: str | None = None) -> QuerySet[Offer]:
    """Every offer in every state, for members; with the latest version of each."""
    offers = Offer.objects.select_related("team").prefetch_related(
        Prefetch("versions", queryset=OfferVersion.objects.order_by("-number"))
    )
    if state:
        offers = offers.filter(state=state)
    return offers.order_by("team__name", "slug")


def with_versions(offers: QuerySet[Offer] | Manager[Offer]) -> QuerySet[Offer]:
    """Offers with all their versions (newest first), allies and pictures, in a few queries."""
    return offers.select_related("team").prefetch_related(
        Prefetch(
            "versions",
            queryset=OfferVersion.objects.order_by("-number").prefetch_related(
                "allies", "images"
            ),
        )
    )


def offer_versions(offer: Offer) -> QuerySet[OfferVersion]:
    return (
        offer.versions.select_related("created_by", "published_by")
        .prefetch_related(
            "allies",
            "images",
            Prefetch("advice", queryset=Advice.objects.select_related("author")),
            Prefetch(
                "advice_requests",
                queryset=AdviceRequest.objects.select_related(
                    "asked_by", "member", "team"
                ),
            ),
        )
        .order_by("-number")
    )


def advice_asked_of(member: Member) -> QuerySet[AdviceRequest]:
    """Open requests for this member's advice (to them or a team of theirs) not yet answered."""
    return (
        AdviceRequest.objects.filter(
            Q(member=member) | Q(team__memberships__member=member),
        )
        .filter(version__status__in=OfferVersion.WORKING)
        .exclude(asked_by=member)
        .exclude(version__advice__author=member)
        .select_related("version__offer", "asked_by", "team", "member")
        .distinct()
        .order_by("-created_at", "-pk")
    )
