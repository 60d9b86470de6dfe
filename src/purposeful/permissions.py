"""Who may do what: the one place that decides.

The rules follow the organisation's way of working:

* every member reads everything inside the organisation (transparency);
* writing to a record a team owns needs membership of that team — stewards
  included, because being a steward is a technical role, not a boss;
* installation settings, invitations and member accounts need a steward;
* anonymous visitors see only public pages.

Services call :func:`check` before every write; views and the API never
re-implement a rule. ``tests/test_permissions.py`` holds the matrix of every
role × every action, and fails when an action is added without its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied


class Action(StrEnum):
    VIEW_PUBLIC = "public.view"
    VIEW_INTERNAL = "organisation.view"
    CHANGE_ORGANISATION = "organisation.change"
    CHANGE_PURPOSE = "purpose.change"
    CREATE_TEAM = "team.create"
    CHANGE_TEAM = "team.change"
    JOIN_TEAM = "team.join"
    LEAVE_TEAM = "team.leave"
    MANAGE_ROLES = "role.manage"
    MANAGE_ALLIES = "ally.manage"
    INVITE = "invitation.create"
    MANAGE_MEMBERS = "member.manage"
    USE_ADMIN = "admin.use"
    CHANGE_PROFILE = "profile.change"
    MANAGE_TOKENS = "token.manage"


class TeamOwned(Protocol):
    @property
    def owning_team(self) -> Any: ...


Rule = Callable[[Any, Any], bool]


def _is_member(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


def _is_steward(actor: Any) -> bool:
    return _is_member(actor) and bool(actor.is_steward)


def _in_owning_team(actor: Any, target: TeamOwned) -> bool:
    if not _is_member(actor) or target is None:
        return False
    team = target.owning_team
    return team is not None and team.memberships.filter(member_id=actor.pk).exists()


def _is_self(actor: Any, target: Any) -> bool:
    return _is_member(actor) and target is not None and target.pk == actor.pk


_RULES: dict[Action, tuple[Rule, str]] = {
    Action.VIEW_PUBLIC: (lambda actor, target: True, ""),
    Action.VIEW_INTERNAL: (
        lambda actor, target: _is_member(actor),
        "Sign in as a member of the organisation to see this.",
    ),
    Action.CHANGE_ORGANISATION: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can change the installation's settings.",
    ),
    Action.CHANGE_PURPOSE: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can change its purpose.",
    ),
    Action.CREATE_TEAM: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can start a team.",
    ),
    Action.CHANGE_TEAM: (
        _in_owning_team,
        "Only members of {team} can change it.",
    ),
    Action.JOIN_TEAM: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can join a team.",
    ),
    Action.LEAVE_TEAM: (
        _in_owning_team,
        "You are not a member of {team}.",
    ),
    Action.MANAGE_ROLES: (
        _in_owning_team,
        "Only members of {team} can change its roles.",
    ),
    Action.MANAGE_ALLIES: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can change the allies directory.",
    ),
    Action.INVITE: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can invite people.",
    ),
    Action.MANAGE_MEMBERS: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can manage member accounts.",
    ),
    Action.USE_ADMIN: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can use the administration pages.",
    ),
    Action.CHANGE_PROFILE: (
        _is_self,
        "You can only change your own profile.",
    ),
    Action.MANAGE_TOKENS: (
        _is_self,
        "You can only manage your own API tokens.",
    ),
}


def allowed(actor: Any, action: Action, target: Any = None) -> bool:
    """Whether ``actor`` (a member or an anonymous user) may do ``action`` on ``target``."""
    rule, _ = _RULES[action]
    return rule(actor, target)


def check(actor: Any, action: Action, target: Any = None) -> None:
    """Raise :class:`PermissionDenied` with a readable reason unless allowed."""
    if allowed(actor, action, target):
        return
    _, message = _RULES[action]
    team = getattr(target, "owning_team", None) if target is not None else None
    if not _is_member(actor) and action is not Action.VIEW_PUBLIC:
        message = "Sign in as a member of the organisation to do this."
    raise PermissionDenied(message.format(team=team or "this team"))


def actions() -> list[Action]:
    return list(_RULES)
