"""Reads that span relations, shaped for pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, QuerySet

from purposeful.organisation.models import (
    JoinRequest,
    Membership,
    MembershipChange,
    RemovalProposal,
    Role,
    Team,
)

if TYPE_CHECKING:
    from purposeful.people.models import Member

    pass


def team_list() -> QuerySet[Team]:
    return Team.objects.annotate(member_count=Count("memberships")).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("member"))
    )


def teams_with_details() -> QuerySet[Team]:
    return Team.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("member")),
        Prefetch("roles", queryset=Role.objects.prefetch_related("holders")),
    )


def customer_links(*, team: Team) -> list[Any]:
    """The people to talk to about this team's customers."""
    seen: dict[int, Any] = {}
    for role in team.roles.all():
        if role.is_customer_link:
            for holder in role.holders.all():
                seen.setdefault(holder.pk, holder)
    return list(seen.values())


def teams_of(member: Member) -> QuerySet[Team]:
    return Team.objects.filter(memberships__member=member).order_by("name")


def join_requests_waiting(*, team: Team) -> QuerySet[JoinRequest]:
    return team.join_requests.filter(state=JoinRequest.State.PENDING).select_related(
        "member"
    )


def join_requests_waiting_for(member: Member) -> QuerySet[JoinRequest]:
    """Requests to join the member's teams that no one has answered yet."""
    return (
        JoinRequest.objects.filter(
            state=JoinRequest.State.PENDING, team__memberships__member=member
        )
        .select_related("member", "team")
        .order_by("-created_at", "-pk")
    )


def removal_proposals_open(*, team: Team) -> QuerySet[RemovalProposal]:
    return team.removal_proposals.filter(
        state=RemovalProposal.State.PROPOSED
    ).select_related("member", "proposed_by")


def membership_changes(*, team: Team, limit: int = 10) -> QuerySet[MembershipChange]:
    """The latest changes to who is in the team, newest first."""
    return team.changes.select_related("member", "by", "proposed_by")[:limit]
