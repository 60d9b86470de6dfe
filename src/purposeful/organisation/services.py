"""Every write to the organisation, its purpose, teams, roles and allies.

Each function checks permission first, then changes the data; views, the API
and the CLI call these so they behave identically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from purposeful import events
from purposeful.core.limits import max_length
from purposeful.organisation.models import (
    Ally,
    JoinRequest,
    Membership,
    MembershipChange,
    Organisation,
    PurposeVersion,
    RemovalProposal,
    Role,
    Team,
)
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in

if TYPE_CHECKING:
    from purposeful.people.models import Member


def organisation_get() -> Organisation:
    """The installation's organisation, created with a placeholder name on first use."""
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        organisation = Organisation.objects.create(name="Our organisation")
    return organisation


def organisation_update(*, actor: Actor, **fields: Any) -> Organisation:
    check(actor, Action.CHANGE_ORGANISATION)
    organisation = organisation_get()
    allowed_fields = {"name", "tagline", "website", "contact_email"}
    unknown = set(fields) - allowed_fields
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def purpose_change(*, actor: Actor, text: str, reason: str = "") -> PurposeVersion:
    """Record a new version of the purpose; the old text stays in the history."""
    check(actor, Action.CHANGE_PURPOSE)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "The purpose cannot be empty."})
    organisation = Organisation.objects.select_for_update().get(
        pk=organisation_get().pk
    )
    current = organisation.purpose
    if current is not None and current.text == text:
        raise ValidationError({"text": "This is already the purpose; nothing changed."})
    last = organisation.purpose_versions.aggregate(n=Max("number"))["n"] or 0
    return PurposeVersion.objects.create(
        organisation=organisation,
        number=last + 1,
        text=text,
        reason=reason.strip(),
        author=signed_in(actor),
    )


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:100] or "team"
    slug, n = base, 2
    # pk=None is a valid lookup (IS NULL) that leaves no team out; the stubs want a value
    others = Team.objects.exclude(pk=exclude_pk)  # type: ignore[misc]
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def team_create(*, actor: Actor, name: str, purpose: str = "") -> Team:
    """Start a team; whoever starts it is its first member."""
    check(actor, Action.CREATE_TEAM)
    name = name.strip()
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A team with this name already exists."})
    team = Team(name=name, slug=_unique_slug(name), purpose=purpose.strip())
    team.full_clean()
    team.save()
    Membership.objects.create(team=team, member=signed_in(actor))
    return team


def team_update(*, actor: Actor, team: Team, name: str, purpose: str) -> Team:
    check(actor, Action.CHANGE_TEAM, team)
    name = name.strip()
    if Team.objects.exclude(pk=team.pk).filter(name__iexact=name).exists():
        raise ValidationError({"name": "A team with this name already exists."})
    team.name = name
    team.purpose = purpose.strip()
    team.full_clean()
    team.save()
    return team


def _locked(team: Team) -> Team:
    """The team's row, locked: membership decisions about one team go one at a time."""
    return Team.objects.select_for_update().get(pk=team.pk)


def _record(
    *,
    team: Team,
    member: Member,
    kind: str,
    by: Any,
    proposed_by: Any = None,
    note: str = "",
) -> MembershipChange:
    change = MembershipChange.objects.create(
        team=team,
        member=member,
        kind=kind,
        by=by,
        proposed_by=proposed_by,
        note=note[: max_length(MembershipChange, "note")],
    )
    events.emit(events.MembershipChanged(change))
    return change


def _is_in(team: Team, member: Member) -> bool:
    return team.memberships.filter(member=member).exists()


def _has_active_members(team: Team) -> bool:
    return team.memberships.filter(member__is_active=True).exists()


def _drop(team: Team, member: Member) -> None:
    """Take ``member`` out of ``team``: their roles there, and open proposals."""
    Membership.objects.filter(team=team, member=member).delete()
    for role in team.roles.filter(holders=member):
        role.holders.remove(member)
    # A proposal about someone who left, or by someone who left, has no one
    # left to stand behind it.
    team.removal_proposals.filter(
        Q(member=member) | Q(proposed_by=member),
        state=RemovalProposal.State.PROPOSED,
    ).update(state=RemovalProposal.State.WITHDRAWN, decided_at=timezone.now())


@transaction.atomic
def team_join(*, actor: Actor, team: Team, message: str = "") -> JoinRequest:
    """Ask to join a team; its members accept or decline.

    A team with no active members has no one to ask, so it is joined at once:
    the request comes back already accepted. Asking again while a request waits
    gives back the waiting request.
    """
    check(actor, Action.JOIN_TEAM, team)
    team = _locked(team)
    if _is_in(team, signed_in(actor)):
        raise ValidationError(f"You are already a member of {team}.")
    waiting = team.join_requests.filter(
        member=signed_in(actor), state=JoinRequest.State.PENDING
    ).first()
    if waiting is not None:
        return waiting
    request = JoinRequest(team=team, member=signed_in(actor), message=message.strip())
    request.full_clean()
    if _has_active_members(team):
        request.save()
        _record(
            team=team,
            member=signed_in(actor),
            kind=MembershipChange.Kind.JOIN_ASKED,
            by=actor,
            note=request.message,
        )
        return request
    request.decide(JoinRequest.State.ACCEPTED, by=actor)
    Membership.objects.create(team=team, member=signed_in(actor))
    _record(
        team=team, member=signed_in(actor), kind=MembershipChange.Kind.JOINED, by=actor
    )
    return request


def _decide(*, actor: Actor, join_request: JoinRequest, accept: bool) -> JoinRequest:
    check(actor, Action.DECIDE_JOIN_REQUEST, join_request)
    team = _locked(join_request.team)
    join_request = JoinRequest.objects.select_related("member").get(pk=join_request.pk)
    if not join_request.is_pending:
        raise ValidationError("This request to join was already answered.")
    if accept and not join_request.member.is_active:
        raise ValidationError("This member's account is not active.")
    join_request.decide(
        JoinRequest.State.ACCEPTED if accept else JoinRequest.State.DECLINED, by=actor
    )
    if accept:
        Membership.objects.get_or_create(team=team, member=join_request.member)
    _record(
        team=team,
        member=join_request.member,
        kind=MembershipChange.Kind.JOIN_ACCEPTED
        if accept
        else MembershipChange.Kind.JOIN_DECLINED,
        by=actor,
    )
    return join_request


@transaction.atomic
def join_request_accept(*, actor: Actor, join_request: JoinRequest) -> JoinRequest:
    """A member of the team lets the person in."""
    return _decide(actor=actor, join_request=join_request, accept=True)


@transaction.atomic
def join_request_decline(*, actor: Actor, join_request: JoinRequest) -> JoinRequest:
    return _decide(actor=actor, join_request=join_request, accept=False)


@transaction.atomic
def team_member_add(*, actor: Actor, team: Team, member: Member) -> Membership:
    """A team decides who is in it: its members can add a colleague."""
    check(actor, Action.CHANGE_TEAM, team)
    if not member.is_active:
        raise ValidationError("This member's account is not active.")
    team = _locked(team)
    membership, created = Membership.objects.get_or_create(team=team, member=member)
    if created:
        # Adding someone who asked answers their request.
        team.join_requests.filter(
            member=member, state=JoinRequest.State.PENDING
        ).update(
            state=JoinRequest.State.ACCEPTED,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _record(team=team, member=member, kind=MembershipChange.Kind.ADDED, by=actor)
    return membership


@transaction.atomic
def team_leave(*, actor: Actor, team: Team) -> None:
    """Leave a team; leaving is always one's own choice to make."""
    check(actor, Action.LEAVE_TEAM, team)
    team = _locked(team)
    _drop(team, signed_in(actor))
    _record(
        team=team, member=signed_in(actor), kind=MembershipChange.Kind.LEFT, by=actor
    )


@transaction.atomic
def removal_propose(
    *, actor: Actor, team: Team, member: Member, reason: str = ""
) -> RemovalProposal:
    """Propose that a colleague leaves the team.

    Nothing changes until a second member agrees (or the colleague does, which
    is their own leaving): no one person can take a team over or empty it.
    """
    check(actor, Action.PROPOSE_MEMBER_REMOVAL, team)
    if member.pk == actor.pk:
        raise ValidationError("To leave the team yourself, choose “Leave the team”.")
    team = _locked(team)
    if not _is_in(team, member):
        raise ValidationError(f"{member} is not a member of {team}.")
    open_proposal = team.removal_proposals.filter(
        member=member, state=RemovalProposal.State.PROPOSED
    ).first()
    if open_proposal is not None:
        return open_proposal
    proposal = RemovalProposal(
        team=team, member=member, proposed_by=signed_in(actor), reason=reason.strip()
    )
    proposal.full_clean()
    proposal.save()
    _record(
        team=team,
        member=member,
        kind=MembershipChange.Kind.REMOVAL_PROPOSED,
        by=actor,
        note=proposal.reason,
    )
    return proposal


def _settled(proposal: RemovalProposal) -> RemovalProposal:
    proposal = RemovalProposal.objects.select_related("member", "proposed_by").get(
        pk=proposal.pk
    )
    if not proposal.is_open:
        raise ValidationError("This proposal is already settled.")
    return proposal


@transaction.atomic
def removal_agree(*, actor: Actor, proposal: RemovalProposal) -> RemovalProposal:
    """A second member agrees, and the colleague leaves the team.

    The proposer stays in the team, so a removal never leaves it empty.
    """
    check(actor, Action.AGREE_MEMBER_REMOVAL, proposal)
    team = _locked(proposal.team)
    proposal = _settled(proposal)
    if not _is_in(team, proposal.proposed_by):
        raise ValidationError(f"{proposal.proposed_by} is no longer in {team}.")
    _drop(team, proposal.member)
    proposal.decide(RemovalProposal.State.AGREED, by=actor)
    own_choice = actor.pk == proposal.member_id
    _record(
        team=team,
        member=proposal.member,
        kind=MembershipChange.Kind.LEFT
        if own_choice
        else MembershipChange.Kind.REMOVED,
        by=actor,
        proposed_by=proposal.proposed_by,
        note=proposal.reason,
    )
    return proposal


@transaction.atomic
def removal_withdraw(*, actor: Actor, proposal: RemovalProposal) -> RemovalProposal:
    check(actor, Action.WITHDRAW_MEMBER_REMOVAL, proposal)
    team = _locked(proposal.team)
    proposal = _settled(proposal)
    proposal.decide(RemovalProposal.State.WITHDRAWN, by=actor)
    _record(
        team=team,
        member=proposal.member,
        kind=MembershipChange.Kind.REMOVAL_WITHDRAWN,
        by=actor,
    )
    return proposal


def role_create(
    *,
    actor: Actor,
    team: Team,
    name: str,
    kind: str = Role.Kind.CUSTOM,
    purpose: str = "",
    accountabilities: str = "",
) -> Role:
    check(actor, Action.MANAGE_ROLES, team)
    role = Role(
        team=team,
        name=name.strip(),
        kind=kind,
        purpose=purpose.strip(),
        accountabilities=accountabilities.strip(),
    )
    role.full_clean()
    role.save()
    return role


def role_update(
    *,
    actor: Actor,
    role: Role,
    name: str,
    kind: str,
    purpose: str,
    accountabilities: str,
) -> Role:
    check(actor, Action.MANAGE_ROLES, role)
    role.name = name.strip()
    role.kind = kind
    role.purpose = purpose.strip()
    role.accountabilities = accountabilities.strip()
    role.full_clean()
    role.save()
    return role


def role_delete(*, actor: Actor, role: Role) -> None:
    check(actor, Action.MANAGE_ROLES, role)
    role.delete()


def role_assign(*, actor: Actor, role: Role, member: Member) -> Role:
    check(actor, Action.MANAGE_ROLES, role)
    if not role.team.memberships.filter(member=member).exists():
        raise ValidationError(
            f"{member} is not a member of {role.team}; a role is filled from the team."
        )
    role.holders.add(member)
    return role


def role_unassign(*, actor: Actor, role: Role, member: Member) -> Role:
    check(actor, Action.MANAGE_ROLES, role)
    role.holders.remove(member)
    return role


def ally_create(
    *,
    actor: Actor,
    name: str,
    website: str = "",
    does_well: str = "",
    contact: str = "",
) -> Ally:
    check(actor, Action.MANAGE_ALLIES)
    ally = Ally(
        name=name.strip(),
        website=website.strip(),
        does_well=does_well.strip(),
        contact=contact.strip(),
    )
    ally.full_clean()
    ally.save()
    return ally


def ally_update(*, actor: Actor, ally: Ally, **fields: str) -> Ally:
    check(actor, Action.MANAGE_ALLIES, ally)
    for name in ("name", "website", "does_well", "contact"):
        if name in fields:
            setattr(ally, name, fields[name].strip())
    ally.full_clean()
    ally.save()
    return ally


def ally_delete(*, actor: Actor, ally: Ally) -> None:
    check(actor, Action.MANAGE_ALLIES, ally)
    ally.delete()
