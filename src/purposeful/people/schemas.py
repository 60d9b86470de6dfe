from __future__ import annotations

from ninja import ModelSchema, Schema

from purposeful.people.models import Member


class TeamRef(Schema):
    id: int
    slug: str
    name: str


class MeOut(Schema):
    username: str
    name: str
    email: str
    is_steward: bool
    teams: list[TeamRef]
    roles: list[str]


class MemberOut(ModelSchema):
    """A member as the organisation sees them: their name and their teams' slugs."""

    name: str
    teams: list[str]

    class Meta:
        model = Member
        fields = ["username", "is_steward"]

    @staticmethod
    def resolve_teams(member: Member) -> list[str]:
        # read from the prefetched teams, so a page of members costs one query
        return [team.slug for team in member.teams.all()]
