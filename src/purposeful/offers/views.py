"""Pages for offers: the public catalogue, and the canvas where a team drafts, asks
advice and publishes. Thin: services decide, selectors read."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core.forms import form_submit
from purposeful.core.locking import EditConflict, VersionField, form_conflict
from purposeful.drafts.editing import editor_context
from purposeful.guards import team_required
from purposeful.offers import selectors, services
from purposeful.offers.diff import version_diff
from purposeful.offers.forms import (
    GUIDE,
    AdviceForm,
    AskAdviceForm,
    ImageForm,
    NewOfferForm,
    OfferForm,
    PublishForm,
)
from purposeful.offers.lens import offer_review
from purposeful.offers.models import Offer, OfferImage, OfferVersion
from purposeful.offers.public import jsonld, public_data
from purposeful.organisation.selectors import teams_of
from purposeful.organisation.services import organisation_get
from purposeful.people.auth import member_of
from purposeful.permissions import Action, allowed, check


@login_not_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "offers/catalogue.html",
        {
            "versions": selectors.catalogue(),
            "is_member": allowed(request.user, Action.VIEW_OFFER_DRAFT),
        },
    )


@login_not_required
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = selectors.public_version(slug)
    if version is None:
        # Members are taken to the draft; visitors learn nothing about it.
        if (
            allowed(request.user, Action.VIEW_OFFER_DRAFT)
            and Offer.objects.filter(slug=slug).exists()
        ):
            return redirect("offers:canvas", slug=slug)
        raise Http404("No such offer.")
    organisation = organisation_get()
    return render(
        request,
        "offers/detail.html",
        {
            "version": version,
            "offer": version.offer,
            "jsonld": jsonld(
                version,
                absolute=request.build_absolute_uri,
                organisation=organisation,
            ),
            "is_member": allowed(request.user, Action.VIEW_OFFER_DRAFT),
            "canonical": request.build_absolute_uri(version.offer.get_absolute_url()),
        },
    )


@login_not_required
@require_GET
def picture(request: HttpRequest, slug: str, pk: int, suffix: str) -> FileResponse:
    image = get_object_or_404(
        OfferImage.objects.select_related("version__offer"),
        pk=pk,
        version__offer__slug=slug,
    )
    offer = image.version.offer
    public = image.version.is_published and offer.is_published
    if not public and not allowed(request.user, Action.VIEW_OFFER_DRAFT):
        raise Http404("No such picture.")
    try:
        handle = image.file.open("rb")
    except OSError:
        raise Http404("No such picture.") from None
    response = FileResponse(handle, content_type="image/webp")
    # Stored files never change (a new upload gets a new name), so caches may keep them.
    response["Cache-Control"] = (
        "public, max-age=604800" if public else "private, max-age=3600"
    )
    return response


@login_not_required
@require_GET
def offers_json(request: HttpRequest) -> JsonResponse:
    data = [
        public_data(version, absolute=request.build_absolute_uri)
        for version in selectors.catalogue()
    ]
    return JsonResponse({"offers": data}, json_dumps_params={"ensure_ascii": False})


@require_GET
def ours(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_OFFER_DRAFT)
    state = request.GET.get("state") or ""
    if state not in Offer.State.values:
        state = ""
    mine = set(teams_of(member_of(request)).values_list("pk", flat=True))
    return render(
        request,
        "offers/ours.html",
        {
            "offers": selectors.offers_for_members(state=state or None),
            "states": Offer.State.choices,
            "state": state,
            "my_team_ids": mine,
            "asked": selectors.advice_asked_of(member_of(request))[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@team_required("An offer belongs to a team: join a team to draft one with it.")
def create(request: HttpRequest) -> HttpResponse:
    teams = teams_of(member_of(request))
    form = NewOfferForm(
        request.POST or None,
        teams=teams,
        initial={"team": teams.first(), "currency": "EUR"},
    )
    if request.method == "POST" and (
        done := form_submit(
            form, lambda data: services.offer_create(actor=request.user, **data)
        )
    ):
        messages.success(
            request,
            "Your draft is saved. Ask colleagues for advice before you publish it.",
        )
        return redirect(done.value.get_canvas_url())
    return render(
        request,
        "offers/form.html",
        {"form": form, "guide": GUIDE, **editor_context(request, form=form)},
    )


def _canvas_context(request: HttpRequest, offer: Offer, **forms) -> dict:
    versions = list(selectors.offer_versions(offer))
    working = next((v for v in versions if v.is_working), None)
    published = next((v for v in versions if v.is_published), None)
    # an offer always has a working or a published version
    shown = cast(OfferVersion, working or published)
    can_write = allowed(request.user, Action.CHANGE_OFFER, offer)
    return {
        "offer": offer,
        "version": shown,
        "working": working,
        "published": published,
        "changes": version_diff(published, working) if working and published else [],
        "review": offer_review(shown) if working else None,
        "can_write": can_write,
        "can_publish": allowed(request.user, Action.PUBLISH_OFFER, offer),
        "can_advise": allowed(request.user, Action.GIVE_OFFER_ADVICE, offer),
        "ask_form": forms.get("ask_form") or AskAdviceForm(actor=request.user),
        "advice_form": forms.get("advice_form") or AdviceForm(),
        "image_form": forms.get("image_form") or ImageForm(),
        "publish_form": forms.get("publish_form")
        or PublishForm(initial={"change_note": working.change_note if working else ""}),
        "advice_threads": [
            v for v in versions if v.advice.all() or v.advice_requests.all()
        ],
    }


def _offer(slug: str) -> Offer:
    return get_object_or_404(Offer.objects.select_related("team"), slug=slug)


@require_GET
def canvas(request: HttpRequest, slug: str) -> HttpResponse:
    check(request.user, Action.VIEW_OFFER_DRAFT)
    offer = _offer(slug)
    return render(request, "offers/canvas.html", _canvas_context(request, offer))


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(slug)
    check(request.user, Action.CHANGE_OFFER, offer)
    # an offer always has a working or a published version
    source = cast(OfferVersion, offer.working_version or offer.published_version)
    instance = OfferVersion.objects.get(pk=source.pk)
    if source.is_published:
        instance.change_note = ""
    form = OfferForm(request.POST or None, instance=instance)
    form.fields["expected_version"] = VersionField(
        initial=services.offer_edit_version(offer)
    )
    try:
        saved = request.method == "POST" and form_submit(
            form,
            lambda data: services.offer_update(actor=request.user, offer=offer, **data),
            passing=(EditConflict,),
        )
    except EditConflict as conflict:
        current = offer.working_version or offer.published_version
        form_conflict(
            form,
            conflict,
            current={
                name: getattr(current, name)
                for name in form.cleaned_data
                if name not in ("allies", "expected_version")
            },
        )
    else:
        if saved:
            messages.success(
                request,
                "Draft saved. Visitors still see the published version until you publish."
                if offer.first_published_at
                else "Draft saved.",
            )
            return redirect(offer.get_canvas_url())
    return render(
        request,
        "offers/form.html",
        {
            "form": form,
            "offer": offer,
            "guide": GUIDE,
            "starts_new": source.is_published,
            **editor_context(request, form=form),
        },
    )


def _rerender(request: HttpRequest, offer: Offer, **forms) -> HttpResponse:
    return render(
        request, "offers/canvas.html", _canvas_context(request, offer, **forms)
    )


@require_POST
def ask_advice(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(slug)
    check(request.user, Action.ASK_OFFER_ADVICE, offer)
    form = AskAdviceForm(request.POST, actor=request.user)
    if done := form_submit(
        form,
        lambda data: services.offer_ask_advice(actor=request.user, offer=offer, **data),
    ):
        asked = done.value
        names = ", ".join(r.asked for r in asked)
        messages.success(request, f"Asked {names} for advice; they are told by e-mail.")
        return redirect(offer.get_canvas_url())
    return _rerender(request, offer, ask_form=form)


@require_POST
def give_advice(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(slug)
    check(request.user, Action.GIVE_OFFER_ADVICE, offer)
    form = AdviceForm(request.POST)
    if form_submit(
        form,
        lambda data: services.advice_give(
            actor=request.user, offer=offer, text=data["text"]
        ),
    ):
        messages.success(
            request, "Thank you: your advice is on record with this draft."
        )
        return redirect(f"{offer.get_canvas_url()}#advice")
    return _rerender(request, offer, advice_form=form)


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(slug)
    check(request.user, Action.PUBLISH_OFFER, offer)
    form = PublishForm(request.POST)
    if done := form_submit(
        form,
        lambda data: services.offer_publish(
            actor=request.user,
            offer=offer,
            change_note=data["change_note"],
        ),
    ):
        version = done.value
        messages.success(
            request, f"Version {version.number} is published: visitors see it now."
        )
        return redirect(offer.get_absolute_url())
    return _rerender(request, offer, publish_form=form)


@require_POST
def discard(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(slug)
    try:
        version = services.offer_draft_discard(actor=request.user, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Draft version {version.number} is set aside; it stays in the history.",
        )
    return redirect(offer.get_canvas_url())


@require_POST
def retire(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(slug)
    try:
        services.offer_retire(actor=request.user, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "The offer is retired: it is no longer in the catalogue."
        )
    return redirect(offer.get_canvas_url())


@require_POST
def picture_add(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(slug)
    check(request.user, Action.CHANGE_OFFER, offer)
    form = ImageForm(request.POST, request.FILES)
    if form_submit(
        form,
        lambda data: services.offer_image_add(
            actor=request.user,
            offer=offer,
            image=data["image"],
            alt_text=data["alt_text"],
        ),
    ):
        messages.success(request, "Picture added to the draft.")
        return redirect(f"{offer.get_canvas_url()}#pictures")
    return _rerender(request, offer, image_form=form)


@require_POST
def picture_remove(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    offer = _offer(slug)
    try:
        services.offer_image_remove(actor=request.user, offer=offer, position=position)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Picture removed from the draft.")
    return redirect(f"{offer.get_canvas_url()}#pictures")


@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    check(request.user, Action.VIEW_OFFER_DRAFT)
    offer = _offer(slug)
    versions = list(selectors.offer_versions(offer))
    entries = []
    for index, version in enumerate(versions):
        # Compared with the version visitors saw before it, not a draft set aside.
        previous = next((v for v in versions[index + 1 :] if v.is_published), None)
        entries.append(
            {
                "version": version,
                "previous": previous,
                "changes": version_diff(previous, version),
            }
        )
    return render(request, "offers/history.html", {"offer": offer, "entries": entries})
