"""JSON API for targets, check-ins and comments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.organisation.models import Team
from purposeful.people.auth import viewer_of
from purposeful.permissions import Action, allowed, check
from purposeful.targets import dashboard as dashboard_figures
from purposeful.targets import selectors, services
from purposeful.targets.models import Target
from purposeful.targets.schemas import (
    CheckInIn,
    CheckInOut,
    CommentIn,
    CommentOut,
    DashboardOut,
    TargetIn,
    TargetOut,
    TargetPatch,
)

router = Router(tags=["targets"])


def _readable(request, target_id: int) -> Target:
    target = (
        Target.objects.select_related("team", "created_by").filter(pk=target_id).first()
    )
    if target is None:
        raise Http404
    check(request.auth, Action.VIEW_TARGET, target)
    return target


def _team(team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise ValidationError({"team": f"There is no team with id {team_id}."})
    return team


@router.get("/targets", response=list[TargetOut], summary="Targets you can read")
@paginate(Page)
def target_list(request, team: int | None = None, state: str | None = None):
    check(request.auth, Action.VIEW_INTERNAL)
    targets = (
        selectors.targets_visible_to(request.auth)
        .select_related("created_by")
        .annotate(check_in_count=Count("check_ins"))
        .order_by("team__name", "period_end", "title", "pk")
    )
    if team is not None:
        targets = targets.filter(team_id=team)
    if state:
        targets = targets.filter(state=state)
    return targets


@router.post(
    "/targets", response={201: TargetOut}, summary="Set a target for your team"
)
def target_create(request, payload: TargetIn):
    data = payload.dict()
    team = _team(data.pop("team"))
    target = services.target_create(actor=request.auth, team=team, **data)
    return Status(201, target)


@router.get("/targets/{target_id}", response=TargetOut, summary="A target")
def target_read(request, target_id: int):
    return _readable(request, target_id)


@router.patch(
    "/targets/{target_id}", response=TargetOut, summary="Change or close a target"
)
def target_change(request, target_id: int, payload: TargetPatch):
    target = _readable(request, target_id)
    data = payload.dict(exclude_unset=True)
    state = data.pop("state", None)
    note = data.pop("closing_note", None)
    if data:
        target = services.target_update(actor=request.auth, target=target, **data)
    if state == Target.State.LET_GO:
        target = services.target_let_go(
            actor=request.auth, target=target, reason=note or ""
        )
    elif state == Target.State.REACHED:
        target = services.target_close(
            actor=request.auth, target=target, note=note or ""
        )
    elif state == Target.State.ACTIVE and not target.is_open:
        target = services.target_reopen(actor=request.auth, target=target)
    elif not data and state is None:
        check(request.auth, Action.CHANGE_TARGET, target)
    return target


@router.delete("/targets/{target_id}", response={204: None}, summary="Delete a target")
def target_delete(request, target_id: int):
    services.target_delete(actor=request.auth, target=_readable(request, target_id))
    return Status(204, None)


@router.get(
    "/targets/{target_id}/check-ins",
    response=list[CheckInOut],
    summary="A target's check-ins, oldest first",
)
@paginate(Page)
def check_in_list(request, target_id: int):
    target = _readable(request, target_id)
    return target.check_ins.select_related("author")


@router.post(
    "/targets/{target_id}/check-ins",
    response={201: CheckInOut},
    summary="Check in on a target",
)
def check_in_create(request, target_id: int, payload: CheckInIn):
    check_in = services.check_in_create(
        actor=request.auth, target=_readable(request, target_id), **payload.dict()
    )
    return Status(201, check_in)


@router.get(
    "/targets/{target_id}/comments",
    response=list[CommentOut],
    summary="Comments on a target",
)
@paginate(Page)
def comment_list(request, target_id: int):
    target = _readable(request, target_id)
    return target.comments.select_related("author")


@router.post(
    "/targets/{target_id}/comments",
    response={201: CommentOut},
    summary="Comment on a target",
)
def comment_create(request, target_id: int, payload: CommentIn):
    comment = services.comment_create(
        actor=request.auth, target=_readable(request, target_id), text=payload.text
    )
    return Status(201, comment)


@router.get(
    "/dashboard",
    response=DashboardOut,
    auth=None,
    summary="The purpose dashboard's numbers (public when stewards chose so)",
)
def dashboard(request):
    from ninja.errors import AuthenticationError

    actor = viewer_of(request)
    settings = selectors.dashboard_settings()
    if not allowed(actor, Action.VIEW_DASHBOARD, settings):
        if not getattr(actor, "is_authenticated", False):
            raise AuthenticationError
        check(actor, Action.VIEW_DASHBOARD, settings)
    figures = dashboard_figures.figures()
    lens = figures.lens
    return {
        "computed_at": figures.computed_at,
        "refreshing": figures.refreshing,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "available": section.available,
                "rows": [{"label": label, "count": n} for label, n in section.rows],
            }
            for section in figures.sections
        ],
        "lens": {
            "available": lens.available,
            "months": lens.months,
            "categories": [
                {"category": category, "counts": counts}
                for category, counts in lens.categories
            ],
            "texts_reviewed": lens.texts,
        },
    }
