"""The permission matrix: every role × every action, in one table.

Roles: an anonymous visitor, a member of the team that owns the record, a member
of another team, a steward outside the team. Later parts of the product add
their actions to ``MATRIX``; the completeness test fails until they do.
"""

from __future__ import annotations

import pytest

from purposeful.permissions import Action, actions, allowed, check, signed_in
from tests.conftest import ROLES

# action: (target, allowed per role) — the target is a name the cast resolves;
# the four letters answer for ROLES in order: anonymous, owner, outsider, steward
# (Y: allowed, N: refused).
MATRIX: dict[Action, tuple[str | None, str]] = {
    Action.VIEW_PUBLIC: (None, "YYYY"),
    Action.VIEW_INTERNAL: (None, "NYYY"),
    Action.CHANGE_ORGANISATION: (None, "NNNY"),
    Action.CHANGE_PURPOSE: (None, "NYYY"),
    Action.CREATE_TEAM: (None, "NYYY"),
    Action.CHANGE_TEAM: ("team", "NYNN"),
    Action.JOIN_TEAM: ("team", "NYYY"),
    Action.LEAVE_TEAM: ("team", "NYNN"),
    Action.DECIDE_JOIN_REQUEST: ("join_request", "NYNN"),
    Action.PROPOSE_MEMBER_REMOVAL: ("team", "NYNN"),
    Action.AGREE_MEMBER_REMOVAL: ("removal", "NYNN"),
    Action.WITHDRAW_MEMBER_REMOVAL: ("own_removal", "NYNN"),
    Action.MANAGE_ROLES: ("team", "NYNN"),
    Action.MANAGE_ALLIES: (None, "NYYY"),
    Action.INVITE: (None, "NNNY"),
    Action.MANAGE_MEMBERS: (None, "NNNY"),
    Action.USE_ADMIN: (None, "NNNY"),
    Action.CHANGE_PROFILE: ("owner", "NYNN"),
    Action.MANAGE_TOKENS: ("owner", "NYNN"),
    # relationships
    Action.CREATE_ACCOUNT: ("team", "NYNN"),
    Action.CHANGE_ACCOUNT: ("account", "NYNN"),
    Action.PROPOSE_HANDOVER: ("account", "NYNN"),
    Action.ACCEPT_HANDOVER: ("incoming_handover", "NYNN"),
    # feedback
    Action.RECORD_SIGNAL: ("team", "NYYY"),
    Action.TRIAGE_SIGNAL: ("signal", "NYNN"),
    Action.REPLY_TO_SIGNAL: ("signal", "NYNN"),
    Action.SEND_FEEDBACK: (None, "YYYY"),
    Action.CONFIGURE_FEEDBACK: (None, "NNNY"),
    # targets
    Action.CREATE_TARGET: ("team", "NYNN"),
    Action.CHANGE_TARGET: ("target", "NYNN"),
    Action.CHECK_IN_TARGET: ("target", "NYNN"),
    Action.VIEW_TARGET: ("private_target", "NYNN"),
    Action.COMMENT_TARGET: ("target", "NYYY"),
    Action.VIEW_DASHBOARD: (None, "NYYY"),
    Action.CONFIGURE_DASHBOARD: (None, "NNNY"),
    # outreach
    Action.CREATE_MESSAGE: ("team", "NYNN"),
    Action.CHANGE_MESSAGE: ("message", "NYNN"),
    Action.GIVE_MESSAGE_ADVICE: ("message", "NYYY"),
    Action.PUBLISH_MESSAGE: ("message", "NYNN"),
    Action.REVIEW_TEXT: (None, "NYYY"),
    Action.CONFIGURE_LENS: (None, "NNNY"),
    Action.REVIEW_SITE: (None, "NYYY"),
    # webhooks
    Action.MANAGE_WEBHOOKS: (None, "NNNY"),
    Action.VIEW_OPERATIONS: (None, "NNNY"),
    # offers
    Action.CREATE_OFFER: ("team", "NYNN"),
    Action.CHANGE_OFFER: ("offer", "NYNN"),
    Action.ASK_OFFER_ADVICE: ("offer", "NYNN"),
    Action.GIVE_OFFER_ADVICE: ("offer", "NYYY"),
    Action.PUBLISH_OFFER: ("offer", "NYNN"),
    Action.RETIRE_OFFER: ("offer", "NYNN"),
    Action.VIEW_OFFER_DRAFT: ("offer", "NYYY"),
    # sensing, notifications, import and export, personal data
    Action.VIEW_SENSING: (None, "NYYY"),
    Action.RUN_SENSING: (None, "NYYY"),
    Action.CHANGE_NOTIFICATIONS: ("owner", "NYNN"),
    Action.READ_OUTBOX_EMAIL: ("outbox_email", "NYNY"),
    Action.IMPORT_RECORDS: ("team", "NYNN"),
    Action.EXPORT_RECORDS: (None, "NYYY"),
    Action.EXPORT_PERSONAL_DATA: ("contact", "NYNN"),
    Action.ERASE_CONTACT: ("contact", "NYNN"),
    # drafts: the target is the member whose words they are
    Action.KEEP_DRAFT: ("owner", "NYNN"),
}

CASES = [
    (action, role, answer == "Y")
    for action, (_, row) in MATRIX.items()
    for role, answer in zip(ROLES, row, strict=True)
]


def test_every_action_has_a_row_for_every_role():
    assert set(MATRIX) == set(actions()), "add the new action's row to MATRIX"
    for action, (_, row) in MATRIX.items():
        assert len(row) == len(ROLES) and set(row) <= {"Y", "N"}, action


@pytest.mark.parametrize(("action", "role", "expected"), CASES, ids=lambda v: str(v))
def test_permission_matrix(cast, action, role, expected):
    target_name = MATRIX[action][0]
    target = cast.by_role(target_name) if target_name else None
    assert allowed(cast.by_role(role), action, target) is expected


def test_stewards_write_to_a_team_only_as_its_members(cast):
    assert not allowed(cast.steward, Action.CHANGE_TEAM, cast.team)
    assert allowed(cast.steward_in_team, Action.CHANGE_TEAM, cast.team)


def test_a_removal_needs_a_second_member_not_its_proposer(cast):
    proposal = cast.own_removal
    assert not allowed(cast.owner, Action.AGREE_MEMBER_REMOVAL, proposal)
    assert allowed(cast.steward_in_team, Action.AGREE_MEMBER_REMOVAL, proposal)
    assert not allowed(cast.steward_in_team, Action.WITHDRAW_MEMBER_REMOVAL, proposal)


def test_refusal_names_the_owning_team(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="Only members of Workshop"):
        check(cast.outsider, Action.MANAGE_ROLES, cast.team)


def test_signed_in_gives_the_member_and_refuses_a_visitor(cast):
    from django.core.exceptions import PermissionDenied

    assert signed_in(cast.owner) is cast.owner
    with pytest.raises(PermissionDenied, match="Sign in as a member"):
        signed_in(cast.anonymous)


def test_inactive_member_may_do_nothing_internal(cast):
    cast.owner.is_active = False
    assert not allowed(cast.owner, Action.VIEW_INTERNAL)
    assert not allowed(cast.owner, Action.CHANGE_TEAM, cast.team)


def _records_some_members_may_not_read(cast):
    """One or two records of every model ``visible`` narrows, owned around the cast."""
    import uuid

    from purposeful.drafts.models import Draft
    from purposeful.notifications.models import Notification, NotificationPreference
    from purposeful.people.models import ApiToken, Invitation
    from purposeful.people.services import invitation_create, token_create
    from purposeful.targets.models import CheckIn, Comment
    from purposeful.webhooks.models import Delivery, Endpoint

    for target in (cast.target, cast.private_target):
        CheckIn.objects.create(target=target, learned="We learned.")
        Comment.objects.create(target=target, text="Well done.")
    endpoint = Endpoint.objects.create(url="https://hooks.example.org/", secret="s")
    Delivery.objects.create(
        endpoint=endpoint, event_id=uuid.uuid4(), event="ping", body="{}"
    )
    invitation_create(actor=cast.steward, email="new@example.org")
    for member in (cast.owner, cast.outsider):
        token_create(actor=member, member=member, name="laptop")
        Notification.objects.create(
            member=member,
            topic="signal",
            source=f"test:{member.pk}",
            subject="Hello",
            body="",
            delivery="immediate",
        )
        NotificationPreference.objects.create(member=member, topic="signal")
        Draft.objects.create(member=member, key="/messages/new/", fields={})
    return [
        Draft,
        CheckIn,
        Comment,
        Endpoint,
        Delivery,
        Invitation,
        ApiToken,
        Notification,
        NotificationPreference,
    ]


@pytest.mark.parametrize("role", ROLES)
def test_visible_lists_exactly_the_records_may_read_allows(cast, role):
    from purposeful.permissions import may_read, restricted_models, visible
    from purposeful.targets.models import Target

    models = _records_some_members_may_not_read(cast) + [Target]
    assert set(restricted_models()) >= set(models)
    actor = cast.by_role(role)
    for model in restricted_models():
        everything = list(model._default_manager.all())
        expected = {r.pk for r in everything if may_read(actor, r)}
        assert set(visible(actor, model).values_list("pk", flat=True)) == expected
    if role != "anonymous":
        assert visible(actor, Target).filter(pk=cast.target.pk).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", False), ("owner", True), ("outsider", False), ("steward", False)],
)
def test_a_team_only_target_is_visible_to_its_team_only(cast, role, expected):
    from purposeful.permissions import visible
    from purposeful.targets.models import Target

    private = cast.private_target
    found = visible(cast.by_role(role), Target).filter(pk=private.pk).exists()
    assert found is expected


def test_records_nobody_narrows_are_visible_to_every_member_and_no_visitor(cast):
    from purposeful.organisation.models import Team
    from purposeful.permissions import visible

    assert visible(cast.outsider, Team).count() == 2
    assert not visible(cast.anonymous, Team).exists()


def test_rules_read_nothing_but_the_record_and_the_actors_team_ids(
    cast, django_assert_num_queries
):
    from purposeful.permissions import team_ids

    cases = [
        (cast.by_role(role), action, cast.by_role(name) if name else None)
        for action, (name, _) in MATRIX.items()
        for role in ROLES
    ]
    for actor, _, _ in cases:
        team_ids(actor)
    with django_assert_num_queries(0):
        for actor, action, target in cases:
            allowed(actor, action, target)


def test_visitors_see_the_dashboard_only_when_its_settings_are_public(cast):
    from purposeful.targets.models import DashboardSettings

    public, closed = DashboardSettings(is_public=True), DashboardSettings()
    assert allowed(cast.anonymous, Action.VIEW_DASHBOARD, public)
    assert not allowed(cast.anonymous, Action.VIEW_DASHBOARD, closed)
    assert allowed(cast.outsider, Action.VIEW_DASHBOARD, closed)


def test_team_ids_are_kept_until_a_membership_changes(cast, django_assert_num_queries):
    from purposeful.organisation.models import Membership

    with django_assert_num_queries(1):
        assert not allowed(cast.outsider, Action.CHANGE_TEAM, cast.team)
        assert not allowed(cast.outsider, Action.MANAGE_ROLES, cast.team)
    membership = Membership.objects.create(team=cast.team, member=cast.outsider)
    with django_assert_num_queries(1):
        assert allowed(cast.outsider, Action.CHANGE_TEAM, cast.team)
        assert allowed(cast.outsider, Action.MANAGE_ROLES, cast.team)
    membership.delete()
    assert not allowed(cast.outsider, Action.CHANGE_TEAM, cast.team)


def _reads_of_memberships(queries, member) -> int:
    """Queries that ask which teams ``member`` is in, whatever their shape."""
    import re

    asks = re.compile(rf'"member_id" = {member.pk}\b')
    return sum(
        1
        for query in queries
        if '"organisation_membership"' in query["sql"] and asks.search(query["sql"])
    )


@pytest.mark.parametrize("page", ["/targets/", "/targets/{target}/"])
def test_a_page_reads_the_members_teams_once(cast, page):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # a team-only target: reading it and changing it are two rules on the team
    path = page.format(target=cast.private_target.pk)
    cast.target  # noqa: B018 - a shared one beside it in the list
    client = Client()
    client.force_login(cast.owner)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    assert _reads_of_memberships(captured.captured_queries, cast.owner) == 1
