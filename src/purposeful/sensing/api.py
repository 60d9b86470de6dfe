"""JSON API for sensing: the current groups, recomputing, acting on a group."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.organisation.models import Team
from purposeful.permissions import Action, check
from purposeful.sensing import selectors, services
from purposeful.sensing.models import SignalGroup
from purposeful.sensing.schemas import (
    GroupDetailOut,
    GroupOut,
    GroupRenameIn,
    GroupTeamIn,
    OfferProposedOut,
    RunOut,
    SignalSentOut,
)

router = Router(tags=["sensing"])


def _group(key: str) -> SignalGroup:
    group = selectors.group_by_key(key)
    if group is None:
        raise Http404("This group is not among the current ones.")
    return group


@router.get("/sensing/groups", response=list[GroupOut], summary="Emerging groups")
@paginate(Page)
def group_list(request):
    check(request.auth, Action.VIEW_SENSING)
    return selectors.groups()


@router.get("/sensing/groups/{key}", response=GroupDetailOut, summary="One group")
def group_read(request, key: str):
    check(request.auth, Action.VIEW_SENSING)
    group = _group(key)
    return {
        **GroupOut.from_orm(group).dict(),
        "months": [
            {"month": m, "signals": n} for m, n in selectors.monthly_counts(group)
        ],
        "signal_ids": list(
            group.signals.order_by("-created_at", "-pk").values_list("pk", flat=True)
        ),
    }


@router.patch(
    "/sensing/groups/{key}",
    response=GroupOut,
    summary="Rename a group (an empty name gives back the name sensing found)",
)
def group_rename(request, key: str, payload: GroupRenameIn):
    return services.group_rename(
        actor=request.auth, group=_group(key), name=payload.name
    )


@router.post(
    "/sensing/runs",
    response={202: RunOut},
    summary="Recompute the groups in the background",
)
def run_request(request):
    return Status(202, services.sensing_request(actor=request.auth))


@router.post(
    "/sensing/groups/{key}/offer",
    response={201: OfferProposedOut},
    summary="Propose an offer draft from a group",
)
def group_offer(request, key: str, payload: GroupTeamIn):
    group = _group(key)
    team = get_object_or_404(Team, pk=payload.team)
    offer = services.group_to_offer(actor=request.auth, group=group, team=team)
    return Status(201, {"slug": offer.slug, "url": offer.get_absolute_url()})


@router.post(
    "/sensing/groups/{key}/signal",
    response={201: SignalSentOut},
    summary="Send a group to a team as a signal",
)
def group_signal(request, key: str, payload: GroupTeamIn):
    group = _group(key)
    team = get_object_or_404(Team, pk=payload.team)
    signal = services.group_to_signal(actor=request.auth, group=group, team=team)
    return Status(201, {"id": signal.pk, "url": signal.get_absolute_url()})
