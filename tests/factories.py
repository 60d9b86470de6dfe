"""Small factories for tests: plain functions with sensible defaults."""

from __future__ import annotations

import itertools

from purposeful.organisation.models import (
    Membership,
    Organisation,
    PurposeVersion,
    Role,
    Team,
)
from purposeful.people.models import Member

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def organisation(
    name: str = "Test Cooperative", purpose: str | None = "Keep bikes riding."
) -> Organisation:
    org = Organisation.objects.order_by("pk").first() or Organisation.objects.create(
        name=name
    )
    if purpose and not org.purpose_versions.exists():
        PurposeVersion.objects.create(organisation=org, number=1, text=purpose)
    return org


def member(
    username: str | None = None,
    *,
    steward: bool = False,
    teams: list[Team] = (),
    **fields,
) -> Member:
    username = username or f"member{next(_seq)}"
    m = Member(
        username=username,
        display_name=fields.pop("display_name", username.title()),
        email=fields.pop("email", f"{username}@example.org"),
        is_steward=steward,
        is_staff=steward,
        **fields,
    )
    m.set_password(PASSWORD)
    m.save()
    for team in teams:
        Membership.objects.create(team=team, member=m)
    return m


def team(
    name: str | None = None, *, members: list[Member] = (), purpose: str = ""
) -> Team:
    name = name or f"Team {next(_seq)}"
    from django.utils.text import slugify

    t = Team.objects.create(name=name, slug=slugify(name), purpose=purpose)
    for m in members:
        Membership.objects.create(team=t, member=m)
    return t


def role(
    team: Team,
    name: str = "Customer link",
    *,
    kind: str = Role.Kind.CUSTOMER_LINK,
    holders=(),
) -> Role:
    r = Role.objects.create(team=team, name=name, kind=kind)
    r.holders.set(holders)
    return r
