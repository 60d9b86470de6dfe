"""JSON API for messages, the lens (any text), the lens settings and site reviews."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO, cast

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.lens import ReviewLimitError
from purposeful.offers.models import Offer
from purposeful.organisation.models import Team
from purposeful.outreach import lens_service, reviewing, selectors, services
from purposeful.outreach.models import Message, SiteReview
from purposeful.outreach.schemas import (
    AdviceAskIn,
    LensSettingsOut,
    LensSettingsPatch,
    MessageAdviceIn,
    MessageAdviceOut,
    MessageIn,
    MessageOut,
    MessagePatch,
    MessagePublishIn,
    ReviewIn,
    ReviewOut,
    SiteReviewOut,
    VersionOut,
)
from purposeful.permissions import Action, check

if TYPE_CHECKING:
    from purposeful.people.models import Member

router = Router(tags=["outreach"])


def _offers(slugs: list[str]) -> list[Offer]:
    offers = list(Offer.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {o.slug for o in offers})
    if missing:
        from django.core.exceptions import ValidationError

        raise ValidationError({"offers": f"No such offer: {', '.join(missing)}."})
    return offers


def _message(message_id: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("team", "created_by"), pk=message_id
    )


@router.get("/messages", response=list[MessageOut], summary="Messages of every team")
@paginate(Page)
def message_list(request, team: str | None = None, state: str | None = None):
    check(request.auth, Action.VIEW_INTERNAL)
    team_obj = get_object_or_404(Team, slug=team) if team else None
    return selectors.message_list(team=team_obj, state=state)


@router.post(
    "/messages", response={201: MessageOut}, summary="Start a draft for your team"
)
def message_create(request, payload: MessageIn):
    team = get_object_or_404(Team, slug=payload.team)
    message = services.message_create(
        actor=request.auth,
        team=team,
        title=payload.title,
        body=payload.body,
        channel=payload.channel,
        audience=payload.audience,
        offers=_offers(payload.offers),
    )
    return Status(201, message)


@router.get("/messages/{message_id}", response=MessageOut, summary="One message")
def message_read(request, message_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return _message(message_id)


@router.patch("/messages/{message_id}", response=MessageOut, summary="Change a message")
def message_change(request, message_id: int, payload: MessagePatch):
    message = _message(message_id)
    data = payload.dict(exclude_unset=True)
    if "offers" in data:
        data["offers"] = _offers(data["offers"] or [])
    data["expected_version"] = data.pop("version", None) or request.headers.get(
        "If-Match"
    )
    services.message_update(actor=request.auth, message=message, **data)
    return message


@router.delete("/messages/{message_id}", response={204: None}, summary="Delete a draft")
def message_delete(request, message_id: int):
    services.message_delete(actor=request.auth, message=_message(message_id))
    return Status(204, None)


@router.get(
    "/messages/{message_id}/versions",
    response=list[VersionOut],
    summary="Versions, newest first",
)
@paginate(Page)
def message_versions(request, message_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    message = _message(message_id)
    return message.versions.select_related("author").order_by("-number")


@router.get(
    "/messages/{message_id}/review",
    response=ReviewOut,
    summary="The lens on the current words",
)
def message_review(request, message_id: int):
    check(request.auth, Action.REVIEW_TEXT)
    message = _message(message_id)
    return reviewing.review_data(services.message_review_get(message=message))


@router.post(
    "/messages/{message_id}/ask-advice",
    response=MessageOut,
    summary="Ask colleagues for advice",
)
def message_ask_advice(request, message_id: int, payload: AdviceAskIn):
    message = _message(message_id)
    services.message_ask_advice(actor=request.auth, message=message, note=payload.note)
    return message


@router.post(
    "/messages/{message_id}/advice",
    response={201: MessageAdviceOut},
    summary="Give advice",
)
def message_give_advice(request, message_id: int, payload: MessageAdviceIn):
    advice = services.message_give_advice(
        actor=request.auth, message=_message(message_id), text=payload.text
    )
    return Status(
        201,
        {
            "id": advice.pk,
            # just written by the actor: the author is there
            "author": cast("Member", advice.author).username,
            "text": advice.text,
            "created_at": advice.created_at,
        },
    )


@router.post(
    "/messages/{message_id}/ready", response=MessageOut, summary="Mark ready to go out"
)
def message_mark_ready(request, message_id: int):
    message = _message(message_id)
    services.message_mark_ready(actor=request.auth, message=message)
    return message


@router.post(
    "/messages/{message_id}/publish",
    response=MessageOut,
    summary="Record where and when it went out",
)
def message_publish(request, message_id: int, payload: MessagePublishIn):
    message = _message(message_id)
    services.message_publish(
        actor=request.auth, message=message, where=payload.where, when=payload.when
    )
    return message


@router.post(
    "/lens/review",
    response=ReviewOut,
    summary="Review any text with the organisation's lens",
)
def lens_review(request, payload: ReviewIn):
    check(request.auth, Action.REVIEW_TEXT)
    try:
        review = lens_service.review_text(payload.text, markup=payload.markup)
    except ReviewLimitError as error:
        raise HttpError(422, f"The lens cannot review this text: {error}.") from None
    return reviewing.review_data(review)


@router.get(
    "/lens/settings", response=LensSettingsOut, summary="How the lens judges copy"
)
def lens_settings_read(request):
    check(request.auth, Action.VIEW_INTERNAL)
    return lens_service.lens_settings_get()


@router.patch(
    "/lens/settings",
    response=LensSettingsOut,
    summary="Change the lens settings (stewards)",
)
def lens_settings_change(request, payload: LensSettingsPatch):
    data = payload.dict(exclude_unset=True)
    if data.get("claims") is not None:
        data["claims"] = [(c["text"], c["evidence"]) for c in data["claims"]]
    services.lens_settings_update(actor=request.auth, **data)
    return lens_service.lens_settings_get()


@router.get(
    "/site-reviews", response=list[SiteReviewOut], summary="Site reviews, newest first"
)
@paginate(Page)
def site_review_list(request):
    check(request.auth, Action.VIEW_INTERNAL)
    return SiteReview.objects.order_by("-created_at", "-pk")


@router.post(
    "/site-reviews",
    response={201: SiteReviewOut},
    summary="Upload pages or a zip; reviewed in the background",
)
def site_review_create(request, files: File[list[UploadedFile]], name: Form[str] = ""):
    site_review = services.site_review_start(
        actor=request.auth,
        name=name,
        # an upload always has a name; its file reads bytes like a BinaryIO
        files=[(cast(str, f.name), cast(BinaryIO, f)) for f in files],
    )
    return Status(201, site_review)


@router.get(
    "/site-reviews/{review_id}", summary="Progress and, once done, the full report"
)
def site_review_read(request, review_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return selectors.site_report_json(get_object_or_404(SiteReview, pk=review_id))
