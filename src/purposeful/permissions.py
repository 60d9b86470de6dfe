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

Rules read only the actor, the record they are given and the actor's team ids
(:func:`team_ids`, read once per request); what else a rule needs, such as
whether the dashboard is public, the caller passes as the record.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from purposeful.people.types import Actor

if TYPE_CHECKING:
    from purposeful.people.models import Member


class Action(StrEnum):
    VIEW_PUBLIC = "public.view"
    VIEW_INTERNAL = "organisation.view"
    CHANGE_ORGANISATION = "organisation.change"
    CHANGE_PURPOSE = "purpose.change"
    CREATE_TEAM = "team.create"
    CHANGE_TEAM = "team.change"
    JOIN_TEAM = "team.join"
    LEAVE_TEAM = "team.leave"
    DECIDE_JOIN_REQUEST = "team.join_request.decide"
    PROPOSE_MEMBER_REMOVAL = "team.removal.propose"
    AGREE_MEMBER_REMOVAL = "team.removal.agree"
    WITHDRAW_MEMBER_REMOVAL = "team.removal.withdraw"
    MANAGE_ROLES = "role.manage"
    MANAGE_ALLIES = "ally.manage"
    INVITE = "invitation.create"
    MANAGE_MEMBERS = "member.manage"
    USE_ADMIN = "admin.use"
    CHANGE_PROFILE = "profile.change"
    MANAGE_TOKENS = "token.manage"
    # offers
    CREATE_OFFER = "offer.create"
    CHANGE_OFFER = "offer.change"
    ASK_OFFER_ADVICE = "offer.advice.ask"
    GIVE_OFFER_ADVICE = "offer.advice.give"
    PUBLISH_OFFER = "offer.publish"
    RETIRE_OFFER = "offer.retire"
    VIEW_OFFER_DRAFT = "offer.draft.view"
    # relationships: accounts owned by teams
    CREATE_ACCOUNT = "account.create"
    CHANGE_ACCOUNT = "account.change"
    PROPOSE_HANDOVER = "handover.propose"
    ACCEPT_HANDOVER = "handover.accept"
    # feedback: signals, team inboxes, the public form
    RECORD_SIGNAL = "signal.record"
    TRIAGE_SIGNAL = "signal.triage"
    REPLY_TO_SIGNAL = "signal.reply"
    SEND_FEEDBACK = "feedback.send"
    CONFIGURE_FEEDBACK = "feedback.configure"
    # targets: self-set team targets, check-ins, comments, the purpose dashboard
    CREATE_TARGET = "target.create"
    CHANGE_TARGET = "target.change"
    CHECK_IN_TARGET = "target.check_in"
    VIEW_TARGET = "target.view"
    COMMENT_TARGET = "target.comment"
    VIEW_DASHBOARD = "dashboard.view"
    CONFIGURE_DASHBOARD = "dashboard.configure"
    # outreach: messages, the lens settings, site reviews
    CREATE_MESSAGE = "message.create"
    CHANGE_MESSAGE = "message.change"
    GIVE_MESSAGE_ADVICE = "message.advice.give"
    PUBLISH_MESSAGE = "message.publish"
    REVIEW_TEXT = "lens.review"
    CONFIGURE_LENS = "lens.configure"
    REVIEW_SITE = "site_review.create"
    # webhooks: endpoints outside that hear about events (stewards)
    MANAGE_WEBHOOKS = "webhook.manage"
    # operations: the state of background work (workers, queue, failures)
    VIEW_OPERATIONS = "operations.view"
    # sensing, notifications, import and export, personal data (issue 8)
    VIEW_SENSING = "sensing.view"
    RUN_SENSING = "sensing.run"
    CHANGE_NOTIFICATIONS = "notifications.change"
    READ_OUTBOX_EMAIL = "outbox.email.read"
    IMPORT_RECORDS = "records.import"
    EXPORT_RECORDS = "records.export"
    EXPORT_PERSONAL_DATA = "contact.personal_data.export"
    ERASE_CONTACT = "contact.erase"
    # drafts: a member's unsent words, kept while they type (issue 16)
    KEEP_DRAFT = "draft.keep"


# The actor's team ids are kept on the actor object, which Django builds anew
# for every request (from the session, or the API token), so they are read once
# per request however many rules and lists ask. A membership saved or deleted
# anywhere in the process moves this counter on, and every kept answer older
# than it is read again: a member who joins a team writes for it at once.
_memberships_version = 0
_TEAM_IDS_ATTRIBUTE = "_purposeful_team_ids"


def _memberships_changed(**kwargs: Any) -> None:
    global _memberships_version
    _memberships_version += 1


post_save.connect(_memberships_changed, sender="organisation.Membership")
post_delete.connect(_memberships_changed, sender="organisation.Membership")


def team_ids(actor: Actor) -> frozenset[int]:
    """The ids of the teams ``actor`` is a member of; none for a visitor.

    Read from the database once per actor object (once per request) and kept
    until a membership changes.
    """
    if not _is_member(actor):
        return frozenset()
    kept = getattr(actor, _TEAM_IDS_ATTRIBUTE, None)
    if kept is not None and kept[0] == _memberships_version:
        return kept[1]
    from purposeful.organisation.models import Membership

    version = _memberships_version
    ids = frozenset(
        Membership.objects.filter(member_id=actor.pk)
        .order_by()  # a set: the model's ordering would only cost a sort
        .values_list("team_id", flat=True)
    )
    setattr(actor, _TEAM_IDS_ATTRIBUTE, (version, ids))
    return ids


class TeamOwned(Protocol):
    @property
    def owning_team(self) -> Any: ...


Rule = Callable[[Actor, Any], bool]


def _is_member(actor: Actor) -> TypeGuard[Member]:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


def _is_steward(actor: Actor) -> bool:
    return _is_member(actor) and bool(actor.is_steward)


def _in_team(actor: Actor, team: Any) -> bool:
    return team is not None and _is_member(actor) and team.pk in team_ids(actor)


def _in_owning_team(actor: Actor, target: TeamOwned) -> bool:
    return target is not None and _in_team(actor, target.owning_team)


def _in_receiving_team(actor: Actor, target: Any) -> bool:
    """For a hand-over: membership of the team the account would move to."""
    return target is not None and _in_team(
        actor, getattr(target, "receiving_team", None)
    )


def _is_self(actor: Actor, target: Any) -> bool:
    return _is_member(actor) and target is not None and target.pk == actor.pk


def _is_recipient(actor: Actor, email: Any) -> bool:
    address = (getattr(actor, "email", "") or "").strip().lower()
    return _is_member(actor) and bool(address) and address in email.recipients


def _is_second_member(actor: Actor, proposal: Any) -> bool:
    """A removal needs two people: a member of the team other than its proposer."""
    return _in_owning_team(actor, proposal) and proposal.proposed_by_id != actor.pk


def _is_proposer(actor: Actor, proposal: Any) -> bool:
    return (
        _is_member(actor)
        and proposal is not None
        and proposal.proposed_by_id == actor.pk
    )


def _can_read_target(actor: Actor, target: Any) -> bool:
    """Shared targets are read by every member; others only inside their team."""
    if not _is_member(actor) or target is None:
        return False
    return bool(target.is_shared) or _in_owning_team(actor, target)


def _is_public_dashboard(settings: Any) -> bool:
    """The target is the dashboard's settings (``targets.selectors.dashboard_settings``)."""
    return settings is not None and bool(settings.is_public)


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
    # a team decides who is in it: joining is a request its members answer;
    # removing someone else takes two of its members, so no one empties a team.
    Action.DECIDE_JOIN_REQUEST: (
        _in_owning_team,
        "Only members of {team} can answer a request to join it.",
    ),
    Action.PROPOSE_MEMBER_REMOVAL: (
        _in_owning_team,
        "Only members of {team} can propose that someone leaves it.",
    ),
    Action.AGREE_MEMBER_REMOVAL: (
        _is_second_member,
        "A second member of {team} must agree, not the one who proposed it.",
    ),
    Action.WITHDRAW_MEMBER_REMOVAL: (
        _is_proposer,
        "Only the member who proposed it can withdraw the proposal.",
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
    # offers: the team that makes an offer writes, asks advice, publishes and
    # retires it; every member may read drafts and give advice, which never blocks.
    Action.CREATE_OFFER: (
        _in_owning_team,
        "Only members of {team} can start an offer for it.",
    ),
    Action.CHANGE_OFFER: (
        _in_owning_team,
        "Only members of {team} can change its offers.",
    ),
    Action.ASK_OFFER_ADVICE: (
        _in_owning_team,
        "Only members of {team} can ask for advice on its offers.",
    ),
    Action.GIVE_OFFER_ADVICE: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can give advice on an offer.",
    ),
    Action.PUBLISH_OFFER: (
        _in_owning_team,
        "Only members of {team} can publish its offers.",
    ),
    Action.RETIRE_OFFER: (
        _in_owning_team,
        "Only members of {team} can retire its offers.",
    ),
    Action.VIEW_OFFER_DRAFT: (
        lambda actor, target: _is_member(actor),
        "Drafts and advice are for members of the organisation.",
    ),
    # relationships: only the owning team writes its accounts (contacts,
    # conversations, referrals included); a hand-over needs both teams.
    Action.CREATE_ACCOUNT: (
        _in_owning_team,
        "Only members of {team} can add customers for it.",
    ),
    Action.CHANGE_ACCOUNT: (
        _in_owning_team,
        "Only members of {team} can change its customers' records.",
    ),
    Action.PROPOSE_HANDOVER: (
        _in_owning_team,
        "Only members of {team} can hand over its customers.",
    ),
    Action.ACCEPT_HANDOVER: (
        _in_receiving_team,
        "Only members of the receiving team can accept or decline a hand-over.",
    ),
    # feedback: anyone inside may pass on what a customer said to any team;
    # only the team whose inbox it is triages and replies.
    Action.RECORD_SIGNAL: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can record feedback.",
    ),
    Action.TRIAGE_SIGNAL: (
        _in_owning_team,
        "Only members of {team} can triage its inbox.",
    ),
    Action.REPLY_TO_SIGNAL: (
        _in_owning_team,
        "Only members of {team} can reply for its inbox.",
    ),
    Action.SEND_FEEDBACK: (lambda actor, target: True, ""),
    Action.CONFIGURE_FEEDBACK: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can choose where general messages go.",
    ),
    # targets: a team's targets are its own to set, change, close or delete —
    # stewards included; reading follows the team's sharing choice.
    Action.CREATE_TARGET: (
        _in_owning_team,
        "Only members of {team} can set its targets.",
    ),
    Action.CHANGE_TARGET: (
        _in_owning_team,
        "Only members of {team} can change, close or delete its targets.",
    ),
    Action.CHECK_IN_TARGET: (
        _in_owning_team,
        "Only members of {team} can check in on its targets.",
    ),
    Action.VIEW_TARGET: (
        lambda actor, target: _can_read_target(actor, target),
        "{team} keeps this target inside the team.",
    ),
    Action.COMMENT_TARGET: (
        lambda actor, target: _can_read_target(actor, target),
        "{team} keeps this target inside the team: only its members comment.",
    ),
    Action.VIEW_DASHBOARD: (
        lambda actor, target: _is_member(actor) or _is_public_dashboard(target),
        "Sign in as a member of the organisation to see the dashboard.",
    ),
    Action.CONFIGURE_DASHBOARD: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can choose whether the dashboard is public.",
    ),
    # outreach: a team writes, asks advice on and publishes its own messages;
    # every member may advise and use the lens; stewards tune the lens.
    Action.CREATE_MESSAGE: (
        _in_owning_team,
        "Only members of {team} can write messages for it.",
    ),
    Action.CHANGE_MESSAGE: (
        _in_owning_team,
        "Only members of {team} can change its messages.",
    ),
    Action.GIVE_MESSAGE_ADVICE: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can give advice on a message.",
    ),
    Action.PUBLISH_MESSAGE: (
        _in_owning_team,
        "Only members of {team} can publish its messages.",
    ),
    Action.REVIEW_TEXT: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can use the lens here.",
    ),
    Action.CONFIGURE_LENS: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can change the lens settings.",
    ),
    Action.REVIEW_SITE: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can review a site.",
    ),
    # webhooks: registering where the organisation's events go, and reading
    # the secrets and delivery log, is part of configuring the installation.
    Action.MANAGE_WEBHOOKS: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can manage webhooks.",
    ),
    # the workers, the queue and failed tasks are about running the installation
    Action.VIEW_OPERATIONS: (
        lambda actor, target: _is_steward(actor),
        "Only stewards can see the state of background work.",
    ),
    # sensing, notifications, import and export, personal data: every member
    # reads and exports everything (transparency); imports land in a team the
    # importer belongs to; a contact's personal data is exported or erased by
    # the team that owns their account — stewards included, no bypass.
    Action.VIEW_SENSING: (
        lambda actor, target: _is_member(actor),
        "Sign in as a member of the organisation to see what is emerging.",
    ),
    Action.RUN_SENSING: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can recompute the groups.",
    ),
    Action.CHANGE_NOTIFICATIONS: (
        _is_self,
        "You can only choose your own notifications.",
    ),
    # the outbox (no mail server): an e-mail is read by whom it was sent to;
    # stewards, who run the installation, read all, as a mail server's would.
    Action.READ_OUTBOX_EMAIL: (
        lambda actor, target: _is_steward(actor) or _is_recipient(actor, target),
        "This e-mail was sent to someone else.",
    ),
    Action.IMPORT_RECORDS: (
        _in_owning_team,
        "Only members of {team} can import customers into it.",
    ),
    Action.EXPORT_RECORDS: (
        lambda actor, target: _is_member(actor),
        "Only members of the organisation can export its records.",
    ),
    Action.EXPORT_PERSONAL_DATA: (
        _in_owning_team,
        "Only members of {team} can export what we hold about its contacts.",
    ),
    Action.ERASE_CONTACT: (
        _in_owning_team,
        "Only members of {team} can erase its contacts.",
    ),
    # the target is the member whose draft it is: words are kept only for oneself
    Action.KEEP_DRAFT: (
        _is_self,
        "Unsent words are kept only for the member who wrote them.",
    ),
}


def allowed(actor: Actor, action: Action, target: Any = None) -> bool:
    """Whether ``actor`` (a member or an anonymous user) may do ``action`` on ``target``."""
    rule, _ = _RULES[action]
    return rule(actor, target)


def check(actor: Actor, action: Action, target: Any = None) -> None:
    """Raise :class:`PermissionDenied` with a readable reason unless allowed."""
    if allowed(actor, action, target):
        return
    _, message = _RULES[action]
    team = getattr(target, "owning_team", None) if target is not None else None
    if not _is_member(actor) and action is not Action.VIEW_PUBLIC:
        message = "Sign in as a member of the organisation to do this."
    raise PermissionDenied(message.format(team=team or "this team"))


def signed_in(actor: Actor) -> Member:
    """The member behind ``actor``, where a service records who acted.

    Called after :func:`check` with a rule that lets members only through, so a
    visitor never gets here; one that did would be a missing check, refused
    with the message :func:`check` gives rather than saved as nobody.
    """
    from django.contrib.auth.models import AnonymousUser

    if isinstance(actor, AnonymousUser):
        raise PermissionDenied("Sign in as a member of the organisation to do this.")
    return actor


def actions() -> list[Action]:
    return list(_RULES)


# Reading: every member reads everything inside the organisation, except the
# records below. Each has its rule twice, as a queryset filter for lists and
# as a test of one record (saved, or rebuilt from the audit log after it was
# deleted); ``tests/test_permissions.py`` checks that the two agree. Lists read
# through :func:`visible`, never a filter of their own.
def _stewards_only(actor: Actor) -> Q:
    return Q() if _is_steward(actor) else Q(pk__in=[])


def _own_or_steward(actor: Actor) -> Q:
    return Q() if _is_steward(actor) else Q(member_id=actor.pk)


def _through_target(actor: Actor) -> Q:
    from purposeful.targets.models import Target

    return Q(target__in=visible(actor, Target))


_VISIBLE: dict[str, tuple[Callable[[Actor], Q], Rule]] = {
    # a team may keep a target, its check-ins and comments inside the team
    "targets.target": (
        lambda actor: Q(is_shared=True) | Q(team_id__in=team_ids(actor)),
        _can_read_target,
    ),
    "targets.checkin": (
        _through_target,
        lambda actor, record: _can_read_target(actor, record.target),
    ),
    "targets.comment": (
        _through_target,
        lambda actor, record: _can_read_target(actor, record.target),
    ),
    # where the organisation's events go, and who is invited, is installation
    # configuration
    "webhooks.endpoint": (_stewards_only, lambda actor, record: _is_steward(actor)),
    "webhooks.delivery": (_stewards_only, lambda actor, record: _is_steward(actor)),
    "people.invitation": (_stewards_only, lambda actor, record: _is_steward(actor)),
    "people.invitation_teams": (
        _stewards_only,
        lambda actor, record: _is_steward(actor),
    ),
    # a member's tokens and e-mail are theirs; stewards keep the installation
    # running and see both in the admin
    "people.apitoken": (
        _own_or_steward,
        lambda actor, record: _is_steward(actor) or record.member_id == actor.pk,
    ),
    "notifications.notification": (
        _own_or_steward,
        lambda actor, record: _is_steward(actor) or record.member_id == actor.pk,
    ),
    "notifications.notificationpreference": (
        lambda actor: Q(member_id=actor.pk),
        lambda actor, record: record.member_id == actor.pk,
    ),
    # unsent words are their writer's alone, stewards included
    "drafts.draft": (
        lambda actor: Q(member_id=actor.pk),
        lambda actor, record: record.member_id == actor.pk,
    ),
}


def visible(actor: Actor, model: type[Model]) -> QuerySet[Any]:
    """The records of ``model`` that ``actor`` may read inside the organisation.

    Anonymous visitors get none: public pages have selectors of their own.
    """
    records = model._default_manager.all()
    if not _is_member(actor):
        return records.none()
    rule = _VISIBLE.get(model._meta.label_lower)
    return records if rule is None else records.filter(rule[0](actor))


def may_read(actor: Actor, record: Model) -> bool:
    """:func:`visible` for one record, which need not exist any more."""
    if not _is_member(actor):
        return False
    rule = _VISIBLE.get(record._meta.label_lower)
    return rule is None or bool(rule[1](actor, record))


def restricted_models() -> list[type[Model]]:
    """The models some members may not read all of."""
    from django.apps import apps

    return [apps.get_model(label) for label in _VISIBLE]
