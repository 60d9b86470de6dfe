"""JSON API for offers: the catalogue, drafting, versions, advice and publishing.

Reads of published offers are open to everyone (``auth=None``, with the caller
recognised when they send a token or a session); drafts and advice need a member.
"""

from collections import Counter
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.offers import selectors, services
from purposeful.offers.lens import offer_review
from purposeful.offers.models import Offer, OfferVersion
from purposeful.offers.schemas import (
    AdviceIn,
    AdviceOut,
    AdviceRequestIn,
    AdviceRequestOut,
    AdviceThreadOut,
    ImageOut,
    OfferIn,
    OfferOut,
    OfferPatch,
    OfferReviewOut,
    OfferVersionOut,
    PublishIn,
)
from purposeful.organisation.models import Ally, Team
from purposeful.people.auth import viewer_of
from purposeful.people.models import Member
from purposeful.permissions import Action, allowed, check

router = Router(tags=["offers"])


def _visible_offer(offer_id: int, viewer: Member | AnonymousUser) -> Offer:
    """The offer, or 404 — a visitor cannot tell a draft from an id that does not exist."""
    offer = get_object_or_404(selectors.with_versions(Offer.objects), pk=offer_id)
    if not offer.is_published and not allowed(viewer, Action.VIEW_OFFER_DRAFT, offer):
        raise Http404
    return offer


def _allies(ids: list[int] | None) -> list[Ally] | None:
    if ids is None:
        return None
    allies = list(Ally.objects.filter(pk__in=ids))
    if len(allies) != len(set(ids)):
        raise ValidationError({"allies": "Some of these allies do not exist."})
    return allies


@router.get(
    "/offers",
    response=list[OfferOut],
    auth=None,
    summary="Offers (visitors: published only)",
)
@paginate(Page)
def offer_list(request, state: Offer.State | None = None):
    viewer = viewer_of(request)
    offers = Offer.objects.all()
    if not allowed(viewer, Action.VIEW_OFFER_DRAFT):
        if state not in (None, Offer.State.PUBLISHED):
            return []
        offers = offers.filter(state=Offer.State.PUBLISHED)
    if state:
        offers = offers.filter(state=state)
    return selectors.with_versions(offers).order_by("slug")


@router.post("/offers", response={201: OfferOut}, summary="Draft a new offer")
def offer_create(request, payload: OfferIn):
    data = payload.dict()
    team = Team.objects.filter(pk=data.pop("team")).first()
    if team is None:
        raise ValidationError({"team": "There is no team with this id."})
    allies = _allies(data.pop("allies"))
    offer = services.offer_create(actor=request.auth, team=team, allies=allies, **data)
    return Status(201, offer)


@router.get(
    "/offers/{offer_id}",
    response=OfferOut,
    auth=None,
    summary="An offer (visitors: only when published)",
)
def offer_read(request, offer_id: int):
    return _visible_offer(offer_id, viewer_of(request))


@router.patch(
    "/offers/{offer_id}",
    response=OfferOut,
    summary="Change the draft (a published offer gets a new draft version)",
)
def offer_change(request, offer_id: int, payload: OfferPatch):
    offer = get_object_or_404(Offer, pk=offer_id)
    data = payload.dict(exclude_unset=True)
    allies = _allies(data.pop("allies", None))
    expected = data.pop("version", None) or request.headers.get("If-Match")
    services.offer_update(
        actor=request.auth,
        offer=offer,
        allies=allies,
        expected_version=expected,
        **data,
    )
    return offer


@router.get(
    "/offers/{offer_id}/versions",
    response=list[OfferVersionOut],
    auth=None,
    summary="Versions, newest first (visitors: published versions only)",
)
@paginate(Page)
def offer_versions(request, offer_id: int):
    viewer = viewer_of(request)
    offer = _visible_offer(offer_id, viewer)
    versions = selectors.offer_versions(offer)
    if not allowed(viewer, Action.VIEW_OFFER_DRAFT, offer):
        versions = versions.filter(status=OfferVersion.Status.PUBLISHED)
    return versions


@router.get(
    "/offers/{offer_id}/advice",
    response=AdviceThreadOut,
    summary="Advice asked and given, on every version",
)
def advice_list(request, offer_id: int):
    check(request.auth, Action.VIEW_OFFER_DRAFT)
    offer = get_object_or_404(Offer, pk=offer_id)
    versions = list(selectors.offer_versions(offer))
    return {
        "requests": [r for v in versions for r in v.advice_requests.all()],
        "advice": [a for v in versions for a in v.advice.all()],
    }


@router.post(
    "/offers/{offer_id}/advice/requests",
    response={201: list[AdviceRequestOut]},
    summary="Ask colleagues or teams for advice on the draft",
)
def advice_ask(request, offer_id: int, payload: AdviceRequestIn):
    offer = get_object_or_404(Offer, pk=offer_id)
    check(request.auth, Action.ASK_OFFER_ADVICE, offer)
    members = list(Member.objects.filter(username__in=payload.members, is_active=True))
    teams = list(Team.objects.filter(slug__in=payload.teams))
    missing = set(payload.members) - {m.username for m in members}
    missing |= set(payload.teams) - {t.slug for t in teams}
    if missing:
        raise ValidationError(
            f"Unknown colleagues or teams: {', '.join(sorted(missing))}"
        )
    requests = services.offer_ask_advice(
        actor=request.auth,
        offer=offer,
        members=members,
        teams=teams,
        message=payload.message,
    )
    return Status(201, requests)


@router.post(
    "/offers/{offer_id}/advice",
    response={201: AdviceOut},
    summary="Give advice in the draft's thread",
)
def advice_give(request, offer_id: int, payload: AdviceIn):
    offer = get_object_or_404(Offer, pk=offer_id)
    advice = services.advice_give(actor=request.auth, offer=offer, text=payload.text)
    return Status(201, advice)


@router.post(
    "/offers/{offer_id}/publish",
    response=OfferOut,
    summary="Publish the draft as a frozen version",
)
def offer_publish(request, offer_id: int, payload: PublishIn):
    offer = get_object_or_404(Offer, pk=offer_id)
    services.offer_publish(
        actor=request.auth, offer=offer, change_note=payload.change_note
    )
    offer.refresh_from_db()
    return offer


@router.post(
    "/offers/{offer_id}/discard",
    response=OfferOut,
    summary="Set the draft aside and keep the published version",
)
def offer_discard(request, offer_id: int):
    offer = get_object_or_404(Offer, pk=offer_id)
    services.offer_draft_discard(actor=request.auth, offer=offer)
    return offer


@router.post(
    "/offers/{offer_id}/retire",
    response=OfferOut,
    summary="Take the offer out of the catalogue",
)
def offer_retire(request, offer_id: int):
    offer = get_object_or_404(Offer, pk=offer_id)
    offer = services.offer_retire(actor=request.auth, offer=offer)
    return offer


@router.post(
    "/offers/{offer_id}/images",
    response={201: ImageOut},
    summary="Add a picture to the draft (multipart: image, alt_text)",
)
def offer_image_add(
    request, offer_id: int, image: File[UploadedFile], alt_text: Form[str]
):
    offer = get_object_or_404(Offer, pk=offer_id)
    picture = services.offer_image_add(
        actor=request.auth, offer=offer, image=image, alt_text=alt_text
    )
    return Status(201, picture)


@router.get(
    "/offers/{offer_id}/review",
    response=OfferReviewOut,
    summary="What the lens finds in the draft's public words",
)
def offer_review_read(request, offer_id: int):
    check(request.auth, Action.VIEW_OFFER_DRAFT)
    offer = get_object_or_404(Offer, pk=offer_id)
    # an offer always has a working or a published version
    version = cast(OfferVersion, offer.working_version or offer.published_version)
    review = offer_review(version)
    review["counts"] = dict(
        sorted(Counter(f["id"] for f in review["findings"]).items())
    )
    return review
