"""Pages for sensing: the emerging groups, one group, acting on it. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from purposeful.core import charts
from purposeful.organisation.models import Team
from purposeful.permissions import Action, check
from purposeful.sensing import selectors, services
from purposeful.sensing.forms import RenameForm, TeamChoiceForm

SIGNALS_SHOWN = 100


def _my_teams(member):
    return Team.objects.filter(memberships__member=member).order_by("name", "pk")


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    services.sensing_refresh(actor=request.user)
    groups = list(selectors.groups())
    counts = selectors.group_monthly_counts(groups)
    rows = [
        {"group": g, "chart": charts.month_columns(counts[g.pk], width=14)}
        for g in groups
    ]
    return render(
        request,
        "sensing/group_list.html",
        {
            "rows": rows,
            "run": selectors.latest_run(),
            "pending": selectors.pending_run(),
            "unplaced": selectors.unplaced_count(),
        },
    )


@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    services.sensing_request(actor=request.user)
    messages.success(
        request, "The groups are being recomputed; this page shows them when done."
    )
    return redirect("sensing:group_list")


def _group(key: str):
    group = selectors.group_by_key(key)
    if group is None:
        raise Http404("This group is not among the current ones.")
    return group


@require_GET
def group_detail(request: HttpRequest, key: str) -> HttpResponse:
    check(request.user, Action.VIEW_SENSING)
    return _detail(request, _group(key))


def _detail(
    request: HttpRequest,
    group,
    *,
    rename_form: RenameForm | None = None,
    status: int = 200,
) -> HttpResponse:
    teams = _my_teams(request.user)
    return render(
        request,
        "sensing/group_detail.html",
        {
            "group": group,
            "chart": charts.month_columns(selectors.monthly_counts(group)),
            "signals": selectors.group_signals(group)[:SIGNALS_SHOWN],
            "rename_form": rename_form
            or RenameForm(initial={"name": group.given_name or group.name}),
            "offer_form": TeamChoiceForm(
                teams=teams, label="Team to propose it to", prefix="offer"
            ),
            "signal_form": TeamChoiceForm(
                own_teams=teams, label="Team to send it to", prefix="signal"
            ),
            "has_teams": teams.exists(),
        },
        status=status,
    )


@require_POST
def group_rename(request: HttpRequest, key: str) -> HttpResponse:
    group = _group(key)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.group_rename(
                actor=request.user, group=group, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, f"The group is now called “{group.name}”.")
            return redirect(group)
    return _detail(request, group, rename_form=form, status=400)


def _act(request: HttpRequest, key: str, kind: str) -> HttpResponse:
    group = _group(key)
    teams = _my_teams(request.user) if kind == "offer" else None
    form = TeamChoiceForm(request.POST, teams=teams, prefix=kind)
    if not form.is_valid():
        messages.error(request, "Choose a team.")
        return redirect(group)
    team = form.cleaned_data["team"]
    try:
        if kind == "offer":
            offer = services.group_to_offer(actor=request.user, group=group, team=team)
        else:
            signal = services.group_to_signal(
                actor=request.user, group=group, team=team
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(group)
    if kind == "offer":
        messages.success(request, "A proposed offer draft was started from this group.")
        return redirect(offer)
    messages.success(request, f"Sent to {team.name}'s inbox.")
    return redirect(signal)


@require_POST
def group_to_offer(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, "offer")


@require_POST
def group_to_signal(request: HttpRequest, key: str) -> HttpResponse:
    return _act(request, key, "signal")
