from __future__ import annotations

from ninja import Schema


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


class MemberOut(Schema):
    username: str
    name: str
    is_steward: bool
    teams: list[str]
