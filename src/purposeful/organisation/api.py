"""JSON API for the organisation, purpose, teams, memberships, roles and allies."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.organisation import selectors, services
from purposeful.organisation.models import (
    Ally,
    JoinRequest,
    RemovalProposal,
    Role,
    Team,
)
from purposeful.organisation.schemas import (
    AllyIn,
    AllyOut,
    AllyPatch,
    JoinRequestIn,
    JoinRequestOut,
    OrganisationOut,
    OrganisationPatch,
    PurposeIn,
    PurposeVersionOut,
    RemovalProposalIn,
    RemovalProposalOut,
    RoleIn,
    RoleOut,
    RolePatch,
    TeamDetailOut,
    TeamIn,
    TeamOut,
    TeamPatch,
    UsernameIn,
)
from purposeful.people.models import Member
from purposeful.permissions import Action, check

router = Router(tags=["organisation"])


def _team_detail(team_id: int) -> Team:
    return get_object_or_404(selectors.teams_with_details(), pk=team_id)


def _member(username: str) -> Member:
    return get_object_or_404(Member, username=username, is_active=True)


@router.get(
    "/organisation", response=OrganisationOut, auth=None, summary="The organisation"
)
def organisation_read(request):
    return services.organisation_get()


@router.patch(
    "/organisation", response=OrganisationOut, summary="Change settings (stewards)"
)
def organisation_change(request, payload: OrganisationPatch):
    services.organisation_update(actor=request.auth, **payload.dict(exclude_unset=True))
    return services.organisation_get()


@router.get(
    "/purpose", response=PurposeVersionOut, auth=None, summary="Current purpose"
)
def purpose_read(request):
    purpose = services.organisation_get().purpose
    if purpose is None:
        from ninja.errors import HttpError

        raise HttpError(404, "The organisation has not written its purpose yet.")
    return purpose


@router.get(
    "/purpose/versions", response=list[PurposeVersionOut], summary="Purpose history"
)
@paginate(Page)
def purpose_versions(request):
    check(request.auth, Action.VIEW_INTERNAL)
    versions = services.organisation_get().purpose_versions.select_related("author")
    return versions


@router.post(
    "/purpose", response={201: PurposeVersionOut}, summary="Change the purpose"
)
def purpose_change(request, payload: PurposeIn):
    version = services.purpose_change(
        actor=request.auth, text=payload.text, reason=payload.reason
    )
    return Status(201, version)


@router.get("/teams", response=list[TeamOut], summary="Teams and their members")
@paginate(Page)
def team_list(request):
    check(request.auth, Action.VIEW_INTERNAL)
    return selectors.team_list()


@router.post("/teams", response={201: TeamDetailOut}, summary="Start a team")
def team_create(request, payload: TeamIn):
    team = services.team_create(
        actor=request.auth, name=payload.name, purpose=payload.purpose
    )
    return Status(201, _team_detail(team.pk))


@router.get("/teams/{team_id}", response=TeamDetailOut, summary="A team with its roles")
def team_read(request, team_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return _team_detail(team_id)


@router.patch("/teams/{team_id}", response=TeamDetailOut, summary="Change a team")
def team_change(request, team_id: int, payload: TeamPatch):
    team = get_object_or_404(Team, pk=team_id)
    data = payload.dict(exclude_unset=True)
    services.team_update(
        actor=request.auth,
        team=team,
        name=data.get("name") or team.name,
        purpose=data.get("purpose", team.purpose) or "",
    )
    return _team_detail(team_id)


@router.post(
    "/teams/{team_id}/members",
    response={201: TeamDetailOut, 202: JoinRequestOut},
    summary="Add a colleague, or ask to join",
    description="A member of the team adds a colleague (201). Your own username "
    "asks to join (202, a request the team's members answer) or, when the team "
    "has no members, joins at once (201).",
)
def team_member_add(request, team_id: int, payload: UsernameIn):
    team = get_object_or_404(Team, pk=team_id)
    member = _member(payload.username)
    if member.pk == request.auth.pk:
        join_request = services.team_join(actor=request.auth, team=team)
        if join_request.is_pending:
            return Status(202, join_request)
    else:
        services.team_member_add(actor=request.auth, team=team, member=member)
    return Status(201, _team_detail(team_id))


@router.delete(
    "/teams/{team_id}/members/{username}",
    response={202: RemovalProposalOut, 204: None},
    summary="Leave, or propose that a colleague leaves",
    description="Your own username: you leave (204). A colleague's: a proposal "
    "(202) that takes effect when a second member agrees.",
)
def team_member_remove(request, team_id: int, username: str):
    team = get_object_or_404(Team, pk=team_id)
    member = _member(username)
    if member.pk == request.auth.pk:
        services.team_leave(actor=request.auth, team=team)
        return Status(204, None)
    proposal = services.removal_propose(actor=request.auth, team=team, member=member)
    return Status(202, proposal)


@router.get(
    "/teams/{team_id}/join-requests",
    response=list[JoinRequestOut],
    summary="Requests to join a team that wait for an answer",
)
@paginate(Page)
def join_request_list(request, team_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    team = get_object_or_404(Team, pk=team_id)
    return selectors.join_requests_waiting(team=team)


@router.post(
    "/teams/{team_id}/join-requests",
    response={201: JoinRequestOut},
    summary="Ask to join a team",
    description="The request waits for a member of the team to accept it; until "
    "then it gives no rights. A team with no members is joined at once "
    "(state `accepted`).",
)
def join_request_create(request, team_id: int, payload: JoinRequestIn):
    team = get_object_or_404(Team, pk=team_id)
    join_request = services.team_join(
        actor=request.auth, team=team, message=payload.message
    )
    return Status(201, join_request)


@router.post(
    "/join-requests/{request_id}/accept",
    response=JoinRequestOut,
    summary="Accept a request to join (members of the team)",
)
def join_request_accept(request, request_id: int):
    join_request = get_object_or_404(JoinRequest, pk=request_id)
    return services.join_request_accept(actor=request.auth, join_request=join_request)


@router.post(
    "/join-requests/{request_id}/decline",
    response=JoinRequestOut,
    summary="Decline a request to join (members of the team)",
)
def join_request_decline(request, request_id: int):
    join_request = get_object_or_404(JoinRequest, pk=request_id)
    return services.join_request_decline(actor=request.auth, join_request=join_request)


@router.get(
    "/teams/{team_id}/removals",
    response=list[RemovalProposalOut],
    summary="Proposals that a member leaves a team, waiting for a second member",
)
@paginate(Page)
def removal_list(request, team_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    team = get_object_or_404(Team, pk=team_id)
    return selectors.removal_proposals_open(team=team)


@router.post(
    "/teams/{team_id}/removals",
    response={201: RemovalProposalOut},
    summary="Propose that a colleague leaves the team",
)
def removal_create(request, team_id: int, payload: RemovalProposalIn):
    team = get_object_or_404(Team, pk=team_id)
    proposal = services.removal_propose(
        actor=request.auth,
        team=team,
        member=_member(payload.username),
        reason=payload.reason,
    )
    return Status(201, proposal)


@router.post(
    "/removals/{proposal_id}/agree",
    response=RemovalProposalOut,
    summary="Agree, as a second member, that a colleague leaves",
)
def removal_agree(request, proposal_id: int):
    proposal = get_object_or_404(RemovalProposal, pk=proposal_id)
    return services.removal_agree(actor=request.auth, proposal=proposal)


@router.post(
    "/removals/{proposal_id}/withdraw",
    response=RemovalProposalOut,
    summary="Withdraw your proposal that a colleague leaves",
)
def removal_withdraw(request, proposal_id: int):
    proposal = get_object_or_404(RemovalProposal, pk=proposal_id)
    return services.removal_withdraw(actor=request.auth, proposal=proposal)


@router.get("/teams/{team_id}/roles", response=list[RoleOut], summary="A team's roles")
@paginate(Page)
def role_list(request, team_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    team = get_object_or_404(Team, pk=team_id)
    return team.roles.prefetch_related("holders")


@router.post("/teams/{team_id}/roles", response={201: RoleOut}, summary="Define a role")
def role_create(request, team_id: int, payload: RoleIn):
    team = get_object_or_404(Team, pk=team_id)
    role = services.role_create(
        actor=request.auth,
        team=team,
        name=payload.name,
        kind=payload.kind,
        purpose=payload.purpose,
        accountabilities="\n".join(payload.accountabilities),
    )
    return Status(201, role)


@router.patch("/roles/{role_id}", response=RoleOut, summary="Change a role")
def role_change(request, role_id: int, payload: RolePatch):
    role = get_object_or_404(Role, pk=role_id)
    data = payload.dict(exclude_unset=True)
    accountabilities = data.get("accountabilities")
    services.role_update(
        actor=request.auth,
        role=role,
        name=data.get("name") or role.name,
        kind=data.get("kind") or role.kind,
        purpose=data.get("purpose", role.purpose) or "",
        accountabilities=(
            "\n".join(accountabilities)
            if accountabilities is not None
            else role.accountabilities
        ),
    )
    return role


@router.delete("/roles/{role_id}", response={204: None}, summary="Remove a role")
def role_delete(request, role_id: int):
    services.role_delete(actor=request.auth, role=get_object_or_404(Role, pk=role_id))
    return Status(204, None)


@router.post("/roles/{role_id}/holders", response={201: RoleOut}, summary="Fill a role")
def role_assign(request, role_id: int, payload: UsernameIn):
    role = get_object_or_404(Role, pk=role_id)
    services.role_assign(
        actor=request.auth, role=role, member=_member(payload.username)
    )
    return Status(201, role)


@router.delete(
    "/roles/{role_id}/holders/{username}", response={204: None}, summary="Step out"
)
def role_unassign(request, role_id: int, username: str):
    role = get_object_or_404(Role, pk=role_id)
    services.role_unassign(actor=request.auth, role=role, member=_member(username))
    return Status(204, None)


@router.get("/allies", response=list[AllyOut], auth=None, summary="Allies")
@paginate(Page)
def ally_list(request):
    return Ally.objects.all()


@router.post("/allies", response={201: AllyOut}, summary="Add an ally")
def ally_create(request, payload: AllyIn):
    return Status(201, services.ally_create(actor=request.auth, **payload.dict()))


@router.patch("/allies/{ally_id}", response=AllyOut, summary="Change an ally")
def ally_change(request, ally_id: int, payload: AllyPatch):
    ally = get_object_or_404(Ally, pk=ally_id)
    return services.ally_update(
        actor=request.auth, ally=ally, **payload.dict(exclude_unset=True)
    )


@router.delete("/allies/{ally_id}", response={204: None}, summary="Remove an ally")
def ally_delete(request, ally_id: int):
    services.ally_delete(actor=request.auth, ally=get_object_or_404(Ally, pk=ally_id))
    return Status(204, None)
