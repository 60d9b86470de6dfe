"""JSON API about people: who am I, and who is in the organisation."""

from __future__ import annotations

from ninja import Router
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.organisation.selectors import teams_of
from purposeful.people.models import Member
from purposeful.people.schemas import MemberOut, MeOut
from purposeful.permissions import Action, check

router = Router(tags=["people"])


@router.get("/me", response=MeOut, summary="The signed-in member and their teams")
def me(request):
    member = request.auth
    return {
        "username": member.username,
        "name": member.name,
        "email": member.email,
        "is_steward": member.is_steward,
        "teams": [
            {"id": t.pk, "slug": t.slug, "name": t.name} for t in teams_of(member)
        ],
        "roles": [
            f"{role.name} ({role.team.name})"
            for role in member.roles.select_related("team")
        ],
    }


@router.get("/members", response=list[MemberOut], summary="Members of the organisation")
@paginate(Page)
def member_list(request):
    check(request.auth, Action.VIEW_INTERNAL)
    members = Member.objects.filter(is_active=True).prefetch_related("teams")
    return members
