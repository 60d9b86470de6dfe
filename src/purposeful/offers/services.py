"""Every write to offers: drafting, advice, images, publishing and retiring.

Each function checks permission first, then changes the data, so pages, the
API and the demo behave identically. Published versions are never changed:
editing a published offer starts a new draft version.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from purposeful import events
from purposeful.core.limits import max_length
from purposeful.core.locking import check_version, version_token
from purposeful.offers.images import image_prepare
from purposeful.offers.models import (
    Advice,
    AdviceRequest,
    Offer,
    OfferImage,
    OfferVersion,
)
from purposeful.organisation.models import Ally, Team
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in

MAX_IMAGES = 6
# Paths under /offers/ that are pages, never an offer's slug.
RESERVED_SLUGS = {"new", "ours", "feed", "advice"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "offer"
    if base in RESERVED_SLUGS:
        base = f"{base}-offer"
    slug, n = base, 2
    while Offer.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _parse_amount(text: str) -> Decimal | None:
    try:
        amount = Decimal(text.replace(",", ".").strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _validate(version: OfferVersion) -> None:
    """The model's own checks plus what the database would not catch."""
    errors: dict[str, list[str]] = {}
    try:
        version.full_clean(exclude=["offer", "number"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for field in version._meta.get_fields():
        if isinstance(field, models.TextField) and field.max_length:
            value = getattr(version, field.name) or ""
            if len(value) > field.max_length:
                errors.setdefault(field.name, []).append(
                    f"Keep this to {field.max_length} characters (it has {len(value)})."
                )
    if version.currency and not (
        len(version.currency) == 3 and version.currency.isalpha()
    ):
        errors.setdefault("currency", []).append(
            "Use a three-letter currency code, like EUR."
        )
    total = Decimal("0")
    for number, raw in enumerate(version.price_breakdown.splitlines(), start=1):
        if not raw.strip():
            continue
        label, sep, amount_text = raw.rpartition(":")
        amount = _parse_amount(amount_text) if sep else None
        if not label.strip() or amount is None:
            errors.setdefault("price_breakdown", []).append(
                f"Line {number} should read like “Mechanic's time: 30” "
                "(what it pays for, a colon, an amount of 0 or more)."
            )
            continue
        total += amount
    if (
        "price_breakdown" not in errors
        and version.price_breakdown.strip()
        and version.price is not None
        and total != version.price
    ):
        errors.setdefault("price_breakdown", []).append(
            f"The parts add up to {total:.2f}, but the price is {version.price:.2f}."
        )
    if version.price_breakdown.strip() and version.price is None:
        errors.setdefault("price", []).append(
            "Give the price the breakdown adds up to."
        )
    if errors:
        raise ValidationError(errors)


def _apply(version: OfferVersion, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(OfferVersion.CANVAS_FIELDS) - {"change_note"}
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        value = _clean_text(value)
        if name == "currency" and isinstance(value, str):
            value = value.upper()
        if value is None and name != "price":
            value = ""
        setattr(version, name, value)


def _set_allies(version: OfferVersion, allies: Iterable[Ally] | None) -> None:
    if allies is not None:
        version.allies.set(list(allies))


@transaction.atomic
def offer_create(
    *,
    actor: Actor,
    team: Team,
    allies: Iterable[Ally] | None = None,
    **canvas: Any,
) -> Offer:
    """Start an offer for a team you are in; its first version is a draft."""
    check(actor, Action.CREATE_OFFER, team)
    version = OfferVersion(number=1, created_by=signed_in(actor))
    _apply(version, canvas)
    _validate(version)
    offer = Offer.objects.create(
        team=team, slug=_unique_slug(version.name), created_by=signed_in(actor)
    )
    version.offer = offer
    version.save()
    _set_allies(version, allies)
    return offer


def _working_version(offer: Offer, actor: Actor) -> OfferVersion:
    """The draft to change; editing a published offer starts one from its latest version."""
    working = offer.working_version
    if working is not None:
        return working
    latest = offer.published_version or offer.latest_version
    number = (offer.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = OfferVersion(offer=offer, number=number, created_by=signed_in(actor))
    if latest is not None:
        for name in OfferVersion.CANVAS_FIELDS:
            setattr(draft, name, getattr(latest, name))
    draft.save()
    if latest is not None:
        draft.allies.set(latest.allies.all())
        for image in latest.images.all():
            OfferImage.objects.create(
                version=draft,
                file=image.file.name,
                width=image.width,
                height=image.height,
                alt_text=image.alt_text,
                position=image.position,
            )
    return draft


def offer_edit_version(offer: Offer) -> str:
    """The optimistic-locking token of what an editor of the offer starts from."""
    base = offer.working_version or offer.published_version or offer.latest_version
    if base is None:
        return ""
    return version_token(base.pk, base.updated_at)


@transaction.atomic
def offer_update(
    *,
    actor: Actor,
    offer: Offer,
    allies: Iterable[Ally] | None = None,
    expected_version: str | None = None,
    **canvas: Any,
) -> OfferVersion:
    """Change the draft; on a published offer this starts a new draft version.

    With ``expected_version`` (from :func:`offer_edit_version` when the editor
    opened it), a draft changed by someone else in between is not overwritten.
    """
    check(actor, Action.CHANGE_OFFER, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    base = offer.working_version or offer.published_version
    check_version(
        expected=expected_version,
        current=offer_edit_version(offer),
        what="this offer's draft",
        record=base,
        changed_at=base.updated_at if base is not None else None,
    )
    version = _working_version(offer, actor)
    _apply(version, canvas)
    _validate(version)
    version.updated_at = timezone.now()
    version.save()
    _set_allies(version, allies)
    return version


@transaction.atomic
def offer_ask_advice(
    *,
    actor: Actor,
    offer: Offer,
    members: Iterable[Any] = (),
    teams: Iterable[Team] = (),
    message: str = "",
    notify: bool = True,
) -> list[AdviceRequest]:
    """Ask chosen colleagues or teams for advice on the draft; they are told by e-mail."""
    check(actor, Action.ASK_OFFER_ADVICE, offer)
    members = [m for m in members if m.pk != actor.pk]
    teams = list(teams)
    if not members and not teams:
        raise ValidationError(
            {"members": "Choose at least one colleague or team (other than yourself)."}
        )
    if any(not m.is_active for m in members):
        raise ValidationError({"members": "One of these accounts is not active."})
    message = message.strip()
    limit = max_length(AdviceRequest, "message")
    if len(message) > limit:
        raise ValidationError({"message": f"Keep the message to {limit} characters."})
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = offer.working_version
    if version is None:
        raise ValidationError(
            "There is no draft to ask about; change the offer first to start one."
        )
    now = timezone.now()
    requests = [
        AdviceRequest.objects.create(
            version=version, asked_by=signed_in(actor), member=member, message=message
        )
        for member in members
    ] + [
        AdviceRequest.objects.create(
            version=version, asked_by=signed_in(actor), team=team, message=message
        )
        for team in teams
    ]
    version.status = OfferVersion.Status.ADVICE
    version.advice_asked_at = version.advice_asked_at or now
    version.save(update_fields=["status", "advice_asked_at"])
    if offer.state == Offer.State.DRAFT:
        offer.state = Offer.State.ADVICE
        offer.save(update_fields=["state"])
    if notify:
        # who hears at once, in the digest or not at all: the notifications app
        events.emit(events.AdviceAsked(tuple(requests)))
    return requests


@transaction.atomic
def advice_give(
    *, actor: Actor, offer: Offer, text: str, notify: bool = True
) -> Advice:
    """Answer in the advice thread of the draft; the advice stays with that version."""
    check(actor, Action.GIVE_OFFER_ADVICE, offer)
    text = Advice.checked_text(text)
    version = offer.working_version
    if version is None:
        raise ValidationError(
            "There is no draft to advise on: the offer is as published."
        )
    advice = Advice.objects.create(version=version, author=signed_in(actor), text=text)
    if notify:
        events.emit(events.AdviceGiven(advice))
    return advice


@transaction.atomic
def offer_publish(
    *, actor: Actor, offer: Offer, change_note: str | None = None
) -> OfferVersion:
    """Freeze the draft as the version visitors see. The team decides; advice never blocks."""
    check(actor, Action.PUBLISH_OFFER, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = offer.working_version
    if version is None:
        raise ValidationError("There is no draft to publish: nothing changed.")
    if change_note is not None:
        version.change_note = change_note.strip()
    _validate(version)
    previous = offer.published_version
    if previous is not None and _same_canvas(previous, version):
        raise ValidationError(
            f"This draft says exactly what version {previous.number} says; "
            "change something before publishing."
        )
    now = timezone.now()
    version.status = OfferVersion.Status.PUBLISHED
    version.published_at = now
    version.published_by = signed_in(actor)
    version.save()
    offer.state = Offer.State.PUBLISHED
    offer.first_published_at = offer.first_published_at or now
    offer.last_published_at = now
    offer.retired_at = None
    offer.save()
    events.emit(events.OfferPublished(version))
    return version


def _same_canvas(a: OfferVersion, b: OfferVersion) -> bool:
    if any(getattr(a, name) != getattr(b, name) for name in OfferVersion.CANVAS_FIELDS):
        return False
    if set(a.allies.values_list("pk", flat=True)) != set(
        b.allies.values_list("pk", flat=True)
    ):
        return False
    return [(i.file.name, i.alt_text) for i in a.images.all()] == [
        (i.file.name, i.alt_text) for i in b.images.all()
    ]


@transaction.atomic
def offer_draft_discard(*, actor: Actor, offer: Offer) -> OfferVersion:
    """Set the draft aside and keep the published version; its advice stays on record."""
    check(actor, Action.CHANGE_OFFER, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = offer.working_version
    if version is None:
        raise ValidationError("There is no draft to set aside.")
    if offer.published_version is None:
        raise ValidationError(
            "This is the offer's first draft: change it rather than set it aside."
        )
    version.status = OfferVersion.Status.DISCARDED
    version.updated_at = timezone.now()
    version.save(update_fields=["status", "updated_at"])
    return version


@transaction.atomic
def offer_retire(*, actor: Actor, offer: Offer) -> Offer:
    """Take a published offer out of the catalogue; its history stays."""
    check(actor, Action.RETIRE_OFFER, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.state != Offer.State.PUBLISHED:
        raise ValidationError("Only a published offer can be retired.")
    offer.state = Offer.State.RETIRED
    offer.retired_at = timezone.now()
    offer.save(update_fields=["state", "retired_at"])
    return offer


@transaction.atomic
def offer_image_add(
    *, actor: Actor, offer: Offer, image: Any, alt_text: str
) -> OfferImage:
    """Add a picture to the draft, checked by its content and re-encoded."""
    check(actor, Action.CHANGE_OFFER, offer)
    alt_text = alt_text.strip()
    if not alt_text:
        raise ValidationError(
            {
                "alt_text": "Describe what the picture shows, for people who cannot see it."
            }
        )
    limit = max_length(OfferImage, "alt_text")
    if len(alt_text) > limit:
        raise ValidationError(
            {"alt_text": f"Keep the description to {limit} characters."}
        )
    prepared = image_prepare(image)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = _working_version(offer, actor)
    if version.images.count() >= MAX_IMAGES:
        raise ValidationError(
            {"image": f"An offer can show up to {MAX_IMAGES} pictures."}
        )
    position = (version.images.aggregate(n=Max("position"))["n"] or 0) + 1
    picture = OfferImage(version=version, alt_text=alt_text, position=position)
    picture.file.save(prepared.name, prepared, save=False)
    picture.save()
    version.updated_at = timezone.now()
    version.save(update_fields=["updated_at"])
    return picture


@transaction.atomic
def offer_image_remove(*, actor: Actor, offer: Offer, position: int) -> None:
    """Take a picture off the draft; published versions keep theirs."""
    check(actor, Action.CHANGE_OFFER, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    version = _working_version(offer, actor)
    deleted, _ = version.images.filter(position=position).delete()
    if not deleted:
        raise ValidationError("There is no such picture on the draft.")
    version.updated_at = timezone.now()
    version.save(update_fields=["updated_at"])
