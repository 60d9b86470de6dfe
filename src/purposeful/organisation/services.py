"""Every write to the organisation, its purpose, teams, roles and allies.

Each function checks permission first, then changes the data; views, the API
and the CLI call these so they behave identically.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from purposeful.organisation.models import (
    Ally,
    Membership,
    Organisation,
    PurposeVersion,
    Role,
    Team,
)
from purposeful.permissions import Action, check


def organisation_get() -> Organisation:
    """The installation's organisation, created with a placeholder name on first use."""
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        organisation = Organisation.objects.create(name="Our organisation")
    return organisation


def organisation_update(*, actor: Any, **fields: Any) -> Organisation:
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
def purpose_change(*, actor: Any, text: str, reason: str = "") -> PurposeVersion:
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
        author=actor,
    )


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:100] or "team"
    slug, n = base, 2
    others = Team.objects.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def team_create(*, actor: Any, name: str, purpose: str = "") -> Team:
    """Start a team; whoever starts it is its first member."""
    check(actor, Action.CREATE_TEAM)
    name = name.strip()
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A team with this name already exists."})
    team = Team(name=name, slug=_unique_slug(name), purpose=purpose.strip())
    team.full_clean()
    team.save()
    Membership.objects.create(team=team, member=actor)
    return team


def team_update(*, actor: Any, team: Team, name: str, purpose: str) -> Team:
    check(actor, Action.CHANGE_TEAM, team)
    name = name.strip()
    if Team.objects.exclude(pk=team.pk).filter(name__iexact=name).exists():
        raise ValidationError({"name": "A team with this name already exists."})
    team.name = name
    team.purpose = purpose.strip()
    team.full_clean()
    team.save()
    return team


def team_join(*, actor: Any, team: Team) -> Membership:
    check(actor, Action.JOIN_TEAM, team)
    membership, _ = Membership.objects.get_or_create(team=team, member=actor)
    return membership


def team_member_add(*, actor: Any, team: Team, member: Any) -> Membership:
    """A team decides who is in it: its members can add a colleague."""
    check(actor, Action.CHANGE_TEAM, team)
    if not member.is_active:
        raise ValidationError("This member's account is not active.")
    membership, _ = Membership.objects.get_or_create(team=team, member=member)
    return membership


@transaction.atomic
def team_member_remove(*, actor: Any, team: Team, member: Any) -> None:
    """Leave a team (yourself), or, as its member, record that a colleague left."""
    action = Action.LEAVE_TEAM if member.pk == actor.pk else Action.CHANGE_TEAM
    check(actor, action, team)
    Membership.objects.filter(team=team, member=member).delete()
    for role in team.roles.filter(holders=member):
        role.holders.remove(member)


def role_create(
    *,
    actor: Any,
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
    *, actor: Any, role: Role, name: str, kind: str, purpose: str, accountabilities: str
) -> Role:
    check(actor, Action.MANAGE_ROLES, role)
    role.name = name.strip()
    role.kind = kind
    role.purpose = purpose.strip()
    role.accountabilities = accountabilities.strip()
    role.full_clean()
    role.save()
    return role


def role_delete(*, actor: Any, role: Role) -> None:
    check(actor, Action.MANAGE_ROLES, role)
    role.delete()


def role_assign(*, actor: Any, role: Role, member: Any) -> Role:
    check(actor, Action.MANAGE_ROLES, role)
    if not role.team.memberships.filter(member=member).exists():
        raise ValidationError(
            f"{member} is not a member of {role.team}; a role is filled from the team."
        )
    role.holders.add(member)
    return role


def role_unassign(*, actor: Any, role: Role, member: Any) -> Role:
    check(actor, Action.MANAGE_ROLES, role)
    role.holders.remove(member)
    return role


def ally_create(
    *, actor: Any, name: str, website: str = "", does_well: str = "", contact: str = ""
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


def ally_update(*, actor: Any, ally: Ally, **fields: str) -> Ally:
    check(actor, Action.MANAGE_ALLIES, ally)
    for name in ("name", "website", "does_well", "contact"):
        if name in fields:
            setattr(ally, name, fields[name].strip())
    ally.full_clean()
    ally.save()
    return ally


def ally_delete(*, actor: Any, ally: Ally) -> None:
    check(actor, Action.MANAGE_ALLIES, ally)
    ally.delete()
