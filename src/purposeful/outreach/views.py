"""Pages for messages, the live lens, the lens settings, site reviews and trends. Thin."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from purposeful.core import charts
from purposeful.core.forms import form_submit
from purposeful.core.locking import EditConflict, VersionField, form_conflict
from purposeful.drafts.editing import editor_context
from purposeful.guards import team_required
from purposeful.lens import Review, ReviewLimitError
from purposeful.offers.models import Offer
from purposeful.organisation.models import Ally, Team
from purposeful.organisation.selectors import teams_of
from purposeful.outreach import lens_service, reviewing, selectors, services
from purposeful.outreach.forms import (
    AdviceAskForm,
    AdviceForm,
    LensSettingsForm,
    MessageForm,
    PublishForm,
    SiteReviewForm,
)
from purposeful.outreach.models import BODY_MAX_CHARS, Message, SitePage, SiteReview
from purposeful.outreach.rendering import markdown_html
from purposeful.outreach.uploads import MAX_REQUEST_BYTES, SizeCapUploadHandler
from purposeful.people.auth import member_of
from purposeful.permissions import Action, allowed, check


class HtmxHttpRequest(HttpRequest):
    """A request through django-htmx's middleware, which sets ``htmx``."""

    htmx: HtmxDetails


def _offers(message: Message | None = None):
    """Offers a message can speak about; a retired one stays while it is linked."""
    offers = Offer.objects.exclude(state=Offer.State.RETIRED)
    if message is not None:
        offers = offers | Offer.objects.filter(outreach_messages=message)
    return offers.select_related("team").distinct().order_by("slug")


def _review_context(
    request: HttpRequest, text: str, message: Message | None = None
) -> dict:
    # a message's own words have their review stored; only new words are reviewed
    if message is not None and text == message.body:
        lens_review = services.message_review_get(message=message)
    else:
        try:
            lens_review = lens_service.review_text(text, markup="markdown")
        except ReviewLimitError as error:
            flash.warning(request, f"The lens cannot review this text: {error}.")
            lens_review = Review()
    review = reviewing.shown(lens_review, text)
    return {
        "review": review,
        "backdrop": reviewing.highlight_html(review),
        "purpose": lens_service.current_purpose(),
    }


# -- messages ----------------------------------------------------------------------


@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    team = None
    if slug := request.GET.get("team"):
        team = Team.objects.filter(slug=slug).first()
    state = request.GET.get("state") or None
    if state not in Message.State.values:
        state = None
    return render(
        request,
        "outreach/message_list.html",
        {
            "messages_": selectors.message_list(team=team, state=state),
            "teams": Team.objects.order_by("name"),
            "states": Message.State.choices,
            "team": team,
            "state": state,
            "my_teams": teams_of(member_of(request)),
        },
    )


@require_http_methods(["GET", "POST"])
@team_required("A message speaks for a team: join a team to write messages with it.")
def message_create(request: HttpRequest) -> HttpResponse:
    teams = teams_of(member_of(request))
    initial = {}
    if slug := request.GET.get("team"):
        initial["team"] = teams.filter(slug=slug).first()
    form = MessageForm(
        request.POST or None, teams=teams, offers=_offers(), initial=initial
    )
    if request.method == "POST" and (
        done := form_submit(
            form,
            lambda data: services.message_create(
                actor=request.user,
                team=data["team"],
                title=data["title"],
                body=data["body"],
                channel=data["channel"],
                audience=data["audience"],
                offers=data.get("offers"),
            ),
        )
    ):
        flash.success(
            request, "Draft saved. The lens's review is kept with this version."
        )
        return redirect(done.value)
    # the draft goes into the form before anything reads its values
    drafting = editor_context(request, form=form)
    body = (form["body"].value() or "").replace("\r\n", "\n")
    return render(
        request,
        "outreach/message_form.html",
        {"form": form, **_review_context(request, body), **drafting},
    )


@require_http_methods(["GET", "POST"])
def message_edit(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk)
    check(request.user, Action.CHANGE_MESSAGE, message)
    if not message.is_editable:
        flash.error(
            request, "A published message cannot change; write a new one instead."
        )
        return redirect(message)
    initial = {
        "title": message.title,
        "channel": message.channel,
        "audience": message.audience,
        "body": message.body,
        "offers": list(message.offers.all()),
    }
    form = MessageForm(
        request.POST or None,
        initial=initial,
        teams=None,
        offers=_offers(message),
        with_team=False,
    )
    form.fields["expected_version"] = VersionField(
        initial=services.message_edit_version(message)
    )
    try:
        saved = request.method == "POST" and form_submit(
            form,
            lambda data: services.message_update(
                actor=request.user,
                message=message,
                title=data["title"],
                body=data["body"],
                channel=data["channel"],
                audience=data["audience"],
                offers=data.get("offers"),
                expected_version=data.get("expected_version"),
            ),
            passing=(EditConflict,),
        )
    except EditConflict as conflict:
        message.refresh_from_db()
        form_conflict(
            form,
            conflict,
            current={
                "title": message.title,
                "body": message.body,
                "channel": message.channel,
                "audience": message.audience,
            },
        )
    else:
        if saved:
            flash.success(request, "Saved.")
            return redirect(message)
    drafting = editor_context(request, form=form)
    body = (form["body"].value() or "").replace("\r\n", "\n")
    return render(
        request,
        "outreach/message_form.html",
        {
            "form": form,
            "message": message,
            **_review_context(request, body, message),
            **drafting,
        },
    )


@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    try:
        message = selectors.message_with_details(pk)
    except Message.DoesNotExist:
        raise Http404("No such message.") from None
    context = _review_context(request, message.body, message)
    can_change = allowed(request.user, Action.CHANGE_MESSAGE, message)
    context.update(
        {
            "message": message,
            "body_html": markdown_html(message.body),
            "highlighted": reviewing.highlight_html(context["review"], numbered=True),
            "can_change": can_change and message.is_editable,
            "can_publish": allowed(request.user, Action.PUBLISH_MESSAGE, message),
            "can_advise": allowed(request.user, Action.GIVE_MESSAGE_ADVICE, message)
            and not message.is_published,
            "ask_form": AdviceAskForm(),
            "advice_form": AdviceForm(),
            "publish_form": PublishForm(),
            "blocks": lens_service.lens_settings_get().errors_block_publishing,
        }
    )
    return render(request, "outreach/message_detail.html", context)


def _message_action(
    request: HttpRequest, pk: int, form_class, act, success: str
) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                flash.error(request, error)
        return redirect(message)
    try:
        act(message, form.cleaned_data if form else {})
    except ValidationError as error:
        for text in error.messages:
            flash.error(request, text)
    else:
        flash.success(request, success)
    return redirect(message)


@require_POST
def message_ask_advice(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_action(
        request,
        pk,
        AdviceAskForm,
        lambda m, d: services.message_ask_advice(
            actor=request.user, message=m, note=d["note"]
        ),
        "Colleagues can now see that you are asking for advice.",
    )


@require_POST
def message_give_advice(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_action(
        request,
        pk,
        AdviceForm,
        lambda m, d: services.message_give_advice(
            actor=request.user, message=m, text=d["text"]
        ),
        "Thank you: your advice is with the team.",
    )


@require_POST
def message_mark_ready(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_action(
        request,
        pk,
        None,
        lambda m, d: services.message_mark_ready(actor=request.user, message=m),
        "Marked ready to go out.",
    )


@require_POST
def message_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_action(
        request,
        pk,
        PublishForm,
        lambda m, d: services.message_publish(
            actor=request.user, message=m, where=d["where"], when=d.get("when")
        ),
        "Recorded as published.",
    )


@require_POST
def message_delete(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk)
    try:
        services.message_delete(actor=request.user, message=message)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
        return redirect(message)
    flash.success(request, "The draft is deleted.")
    return redirect("outreach:message_list")


# -- the live lens -------------------------------------------------------------------


@require_POST
def live_review(request: HtmxHttpRequest) -> HttpResponse:
    """The lens's review of the text being typed: an htmx partial (JSON otherwise)."""
    check(request.user, Action.REVIEW_TEXT)
    text = request.POST.get("body", "").replace("\r\n", "\n")
    if len(text) > BODY_MAX_CHARS:
        return render(
            request, "outreach/_too_long.html", {"limit": BODY_MAX_CHARS}, status=200
        )
    if not request.htmx:
        try:
            review = lens_service.review_text(text)
        except ReviewLimitError as error:
            return JsonResponse({"detail": f"{error}."}, status=422)
        return JsonResponse(reviewing.review_data(review))
    context = _review_context(request, text)
    return render(request, "outreach/_live_review.html", {**context, "oob": True})


# -- lens settings -------------------------------------------------------------------


def _settings_initial() -> dict:
    settings = lens_service.lens_settings_get()
    initial = {
        "competitors": settings.competitors,
        "allies": settings.allies,
        "claims": "\n".join(
            f"{c.text} | {c.evidence}" for c in settings.claims.order_by("text", "pk")
        ),
        "errors_block_publishing": settings.errors_block_publishing,
    }
    for finding_id, grade in settings.grades.items():
        initial[f"grade:{finding_id}"] = grade
    return initial


@require_http_methods(["GET", "POST"])
def lens_settings(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    can_configure = allowed(request.user, Action.CONFIGURE_LENS)
    if request.method == "POST":
        check(request.user, Action.CONFIGURE_LENS)
    form = LensSettingsForm(request.POST or None, initial=_settings_initial())
    if request.method == "POST" and form_submit(
        form,
        lambda data: services.lens_settings_update(
            actor=request.user,
            competitors=data["competitors"],
            allies=data["allies"],
            grades=form.grades(),
            errors_block_publishing=data["errors_block_publishing"],
            claims=data["claims"],
        ),
    ):
        flash.success(
            request, "Lens settings saved; every review from now on uses them."
        )
        return redirect("outreach:lens_settings")
    return render(
        request,
        "outreach/lens_settings.html",
        {
            "form": form,
            "can_configure": can_configure,
            "config": lens_service.lens_config(),
            "settings": lens_service.lens_settings_get(),
            "directory_allies": Ally.objects.order_by("name").values_list(
                "name", flat=True
            ),
        },
    )


@require_GET
def lens_config_export(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    response = HttpResponse(
        reviewing.config_toml(lens_service.lens_config()),
        content_type="application/toml; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="purposeful.toml"'
    return response


# -- site reviews ------------------------------------------------------------------------


@csrf_exempt
def site_review_list(request: HttpRequest) -> HttpResponse:
    # The size cap must see the upload before the CSRF check reads the body.
    # a list until the body is read, which has not happened yet
    handlers = cast(list[FileUploadHandler], request.upload_handlers)
    handlers.insert(0, SizeCapUploadHandler(request))
    return _site_review_list(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _site_review_list(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    form = SiteReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        check(request.user, Action.REVIEW_SITE)
        if getattr(request, "upload_too_large", False):
            form = SiteReviewForm(request.POST)
            form.is_valid()
            form.errors.pop("files", None)
            form.add_error(
                "files",
                f"The upload is larger than {MAX_REQUEST_BYTES // (1024 * 1024)} MB "
                "in total; upload the site in parts.",
            )
        elif done := form_submit(
            form,
            lambda data: services.site_review_start(
                actor=request.user,
                name=data["name"],
                files=[(f.name, f) for f in data["files"]],
            ),
        ):
            return redirect(done.value)
    reviews = SiteReview.objects.select_related("created_by").order_by(
        "-created_at", "-pk"
    )[:50]
    return render(
        request, "outreach/site_review_list.html", {"form": form, "reviews": reviews}
    )


@require_GET
def site_review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    site_review = get_object_or_404(SiteReview, pk=pk)
    context: dict[str, Any] = {"site_review": site_review}
    if site_review.is_finished:
        report = selectors.site_report(site_review)
        context["report"] = report
        context["chart"] = charts.bar_chart(
            [(label, n) for _, label, n in report["totals"]], label_width=230, width=640
        )
    return render(request, "outreach/site_review_detail.html", context)


@require_GET
def site_page_detail(request: HttpRequest, pk: int, page_pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    page = get_object_or_404(
        SitePage.objects.select_related("site_review"), pk=page_pk, site_review_id=pk
    )
    review = reviewing.shown(reviewing.stored_review(page), page.text)
    return render(
        request,
        "outreach/site_page_detail.html",
        {
            "page": page,
            "site_review": page.site_review,
            "review": review,
            "highlighted": reviewing.highlight_html(review, numbered=True),
        },
    )


@require_GET
def site_review_progress(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    site_review = get_object_or_404(SiteReview, pk=pk)
    response = render(
        request, "outreach/_site_progress.html", {"site_review": site_review}
    )
    if site_review.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_GET
def site_review_json(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    site_review = get_object_or_404(SiteReview, pk=pk)
    response = JsonResponse(
        selectors.site_report_json(site_review), json_dumps_params={"indent": 1}
    )
    response["Content-Disposition"] = f'attachment; filename="site-review-{pk}.json"'
    return response


@require_GET
def site_review_csv(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    site_review = get_object_or_404(SiteReview, pk=pk)
    response = HttpResponse(
        selectors.site_report_csv(site_review), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="site-review-{pk}.csv"'
    return response


# -- trends ------------------------------------------------------------------------------


@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    data = selectors.trends()
    chart = charts.stacked_columns(data["months"], data["series"])
    legend = [
        (label, charts.shade_class(i)) for i, (label, _) in enumerate(data["series"])
    ]
    return render(
        request, "outreach/trends.html", {**data, "chart": chart, "legend": legend}
    )
