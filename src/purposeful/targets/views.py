"""Pages for targets, check-ins and the purpose dashboard. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core import csvfile
from purposeful.core.forms import form_submit
from purposeful.guards import team_required
from purposeful.organisation.selectors import teams_of
from purposeful.people.auth import member_of
from purposeful.permissions import Action, allowed, check, team_ids
from purposeful.targets import dashboard as dashboard_figures
from purposeful.targets import selectors, services
from purposeful.targets.forms import (
    CheckInForm,
    CloseForm,
    CommentForm,
    DashboardSettingsForm,
    LetGoForm,
    NewTargetForm,
    TargetForm,
)
from purposeful.targets.models import Target


def _target(request: HttpRequest, pk: int) -> Target:
    """The target, when the member may read it (a team may keep one inside)."""
    try:
        target = selectors.target_detail(pk)
    except Target.DoesNotExist:
        raise Http404 from None
    check(request.user, Action.VIEW_TARGET, target)
    return target


@require_GET
def target_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "targets/target_list.html",
        {
            "columns": selectors.organisation_targets(request.user),
            "can_create": bool(team_ids(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
@team_required("A target belongs to a team: join a team to set targets with it.")
def target_create(request: HttpRequest) -> HttpResponse:
    teams = teams_of(member_of(request))
    initial = {}
    if slug := request.GET.get("team"):
        initial["team"] = teams.filter(slug=slug).first()
    form = NewTargetForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and (
        done := form_submit(
            form, lambda data: services.target_create(actor=request.user, **data)
        )
    ):
        target = done.value
        messages.success(request, f"{target.team} set a new target.")
        return redirect(target)
    return render(request, "targets/target_form.html", {"form": form})


def _detail(request: HttpRequest, target: Target, **forms) -> HttpResponse:
    can_change = allowed(request.user, Action.CHANGE_TARGET, target)
    can_check_in = can_change and target.is_open
    context = {
        "target": target,
        "chart": selectors.target_chart(target),
        "can_change": can_change,
        "check_in_form": forms.get("check_in_form")
        or (CheckInForm(target=target) if can_check_in else None),
        "close_form": CloseForm() if can_change and target.is_open else None,
        "comment_form": forms.get("comment_form") or CommentForm(),
    }
    return render(request, "targets/target_detail.html", context)


@require_GET
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _target(request, pk))


@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    check(request.user, Action.CHANGE_TARGET, target)
    form = TargetForm(request.POST or None, instance=Target.objects.get(pk=target.pk))
    if request.method == "POST" and (
        form_submit(
            form,
            lambda data: services.target_update(
                actor=request.user, target=target, **data
            ),
        )
    ):
        messages.success(request, "Target saved.")
        return redirect(target)
    return render(request, "targets/target_form.html", {"form": form, "target": target})


@require_POST
def check_in_create(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    check(request.user, Action.CHECK_IN_TARGET, target)
    form = CheckInForm(request.POST, target=target)
    if form_submit(
        form,
        lambda data: services.check_in_create(
            actor=request.user, target=target, **data
        ),
    ):
        messages.success(request, "Check-in recorded. Thank you for reflecting.")
        return redirect(target)
    return _detail(request, target, check_in_form=form)


@require_http_methods(["GET", "POST"])
def target_let_go(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    check(request.user, Action.CHANGE_TARGET, target)
    form = LetGoForm(request.POST or None)
    if request.method == "POST" and (
        form_submit(
            form,
            lambda data: services.target_let_go(
                actor=request.user, target=target, reason=data["reason"]
            ),
        )
    ):
        messages.success(
            request, "The target is let go; the reason stays with it for others."
        )
        return redirect(target)
    return render(
        request, "targets/target_let_go.html", {"form": form, "target": target}
    )


@require_POST
def target_close(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.target_close(actor=request.user, target=target, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The target is marked as reached.")
    return redirect(target)


@require_POST
def target_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    try:
        services.target_reopen(actor=request.user, target=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The target is open again.")
    return redirect(target)


@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    check(request.user, Action.CHANGE_TARGET, target)
    if request.method == "POST":
        services.target_delete(actor=request.user, target=target)
        messages.success(request, f"The target “{target.title}” is deleted.")
        return redirect("targets:list")
    return render(request, "targets/target_delete.html", {"target": target})


@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    check(request.user, Action.COMMENT_TARGET, target)
    form = CommentForm(request.POST)
    if form_submit(
        form,
        lambda data: services.comment_create(
            actor=request.user, target=target, text=data["text"]
        ),
    ):
        messages.success(request, "Comment added.")
        return redirect(target)
    return _detail(request, target, comment_form=form)


def _check_dashboard(request: HttpRequest) -> HttpResponse | None:
    settings = selectors.dashboard_settings()
    if allowed(request.user, Action.VIEW_DASHBOARD, settings):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check(request.user, Action.VIEW_DASHBOARD, settings)
    return None  # pragma: no cover - check raised


# public when a steward chooses so; otherwise _check_dashboard sends to sign-in
@login_not_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if refused := _check_dashboard(request):
        return refused
    figures = dashboard_figures.figures()
    context = {"sections": figures.sections, "lens": figures.lens, "figures": figures}
    can_configure = allowed(request.user, Action.CONFIGURE_DASHBOARD)
    context["settings_form"] = (
        DashboardSettingsForm(
            initial={"is_public": services.dashboard_settings_get().is_public}
        )
        if can_configure
        else None
    )
    return render(request, "targets/dashboard.html", context)


@login_not_required
@require_GET
def dashboard_csv(request: HttpRequest, name: str) -> HttpResponse:
    if refused := _check_dashboard(request):
        return refused
    table = dashboard_figures.figures().csv_rows(name)
    if table is None:
        raise Http404
    header, rows = table
    response = HttpResponse(
        csvfile.text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{name}.csv"'
    return response


@require_POST
def dashboard_settings(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.CONFIGURE_DASHBOARD)
    form = DashboardSettingsForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    services.dashboard_settings_update(
        actor=request.user, is_public=form.cleaned_data.get("is_public", False)
    )
    messages.success(
        request,
        "The dashboard is now public."
        if form.cleaned_data.get("is_public")
        else "The dashboard is now for members only.",
    )
    return redirect("targets:dashboard")
