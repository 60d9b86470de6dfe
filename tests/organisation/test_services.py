from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from purposeful.organisation import services
from purposeful.organisation.models import (
    JoinRequest,
    Membership,
    MembershipChange,
    Role,
)
from purposeful.permissions import Action, allowed
from tests import factories


def test_changing_the_purpose_keeps_every_version_with_author_and_reason(cast):
    first = services.organisation_get().purpose
    version = services.purpose_change(
        actor=cast.outsider, text="Fix bikes, teach riders.", reason="We teach now"
    )
    versions = list(services.organisation_get().purpose_versions.all())
    assert versions[0] == version and version.number == first.number + 1
    assert versions[1].text == first.text
    assert (version.author, version.reason) == (cast.outsider, "We teach now")


def test_unchanged_or_empty_purpose_is_refused(cast):
    current = services.organisation_get().purpose.text
    with pytest.raises(ValidationError, match="already the purpose"):
        services.purpose_change(actor=cast.owner, text=current)
    with pytest.raises(ValidationError, match="cannot be empty"):
        services.purpose_change(actor=cast.owner, text="   ")


def test_anonymous_cannot_change_the_purpose(cast):
    with pytest.raises(PermissionDenied):
        services.purpose_change(actor=cast.anonymous, text="Anything")


def test_starting_a_team_makes_its_founder_the_first_member(cast):
    team = services.team_create(
        actor=cast.outsider, name="Cargo Bikes", purpose="Heavy loads"
    )
    assert team.slug == "cargo-bikes"
    assert list(team.members.all()) == [cast.outsider]


def test_team_names_are_unique_regardless_of_case(cast):
    with pytest.raises(ValidationError, match="already exists"):
        services.team_create(actor=cast.owner, name="workshop")


def test_leaving_drops_the_leavers_roles(cast):
    role = factories.role(cast.team, holders=[cast.owner])
    services.team_leave(actor=cast.owner, team=cast.team)
    assert not Membership.objects.filter(team=cast.team, member=cast.owner).exists()
    assert not role.holders.filter(pk=cast.owner.pk).exists()


def test_member_of_another_team_cannot_propose_that_someone_leaves(cast):
    with pytest.raises(PermissionDenied):
        services.removal_propose(actor=cast.outsider, team=cast.team, member=cast.owner)


# Joining is a request a current member answers ----------------------------------


def test_asking_to_join_gives_no_write_rights_until_a_member_accepts(cast):
    request = services.team_join(actor=cast.outsider, team=cast.team)
    assert request.is_pending
    assert not cast.team.members.filter(pk=cast.outsider.pk).exists()
    assert not allowed(cast.outsider, Action.CHANGE_TARGET, cast.target)
    services.join_request_accept(actor=cast.owner, join_request=request)
    assert cast.team.members.filter(pk=cast.outsider.pk).exists()
    assert allowed(cast.outsider, Action.CHANGE_TARGET, cast.target)


def test_join_change_a_target_and_leave_in_seconds_is_refused(cast):
    from purposeful.targets.services import target_update

    target = cast.target
    services.team_join(actor=cast.outsider, team=cast.team)
    with pytest.raises(PermissionDenied):
        target_update(actor=cast.outsider, target=target, title="Sell, sell, sell")
    with pytest.raises(PermissionDenied):
        services.team_leave(actor=cast.outsider, team=cast.team)
    target.refresh_from_db()
    assert target.title != "Sell, sell, sell"


def test_a_team_with_no_members_is_joined_at_once(cast):
    empty = factories.team("Cargo Bikes")
    request = services.team_join(actor=cast.outsider, team=empty)
    assert request.state == JoinRequest.State.ACCEPTED
    assert list(empty.members.all()) == [cast.outsider]


def test_asking_twice_gives_back_the_waiting_request(cast):
    first = services.team_join(actor=cast.outsider, team=cast.team)
    assert services.team_join(actor=cast.outsider, team=cast.team) == first
    with pytest.raises(ValidationError, match="already a member"):
        services.team_join(actor=cast.owner, team=cast.team)


def test_a_declined_request_lets_no_one_in_and_cannot_be_accepted_later(cast):
    request = services.team_join(actor=cast.outsider, team=cast.team)
    services.join_request_decline(actor=cast.owner, join_request=request)
    with pytest.raises(ValidationError, match="already answered"):
        services.join_request_accept(actor=cast.owner, join_request=request)
    assert not cast.team.members.filter(pk=cast.outsider.pk).exists()


def test_only_the_teams_members_answer_a_request_to_join(cast):
    request = services.team_join(actor=cast.outsider, team=cast.team)
    for actor in (cast.outsider, cast.steward):
        with pytest.raises(PermissionDenied):
            services.join_request_accept(actor=actor, join_request=request)
    assert request.__class__.objects.get(pk=request.pk).is_pending


def test_adding_a_colleague_answers_their_waiting_request(cast):
    request = services.team_join(actor=cast.outsider, team=cast.team)
    services.team_member_add(actor=cast.owner, team=cast.team, member=cast.outsider)
    request.refresh_from_db()
    assert request.state == JoinRequest.State.ACCEPTED
    assert request.decided_by == cast.owner


# Removing someone else takes a second member ------------------------------------


def test_removing_a_colleague_waits_for_a_second_member(cast):
    third = factories.member("third", teams=[cast.team])
    role = factories.role(cast.team, holders=[cast.steward_in_team])
    proposal = services.removal_propose(
        actor=cast.owner, team=cast.team, member=cast.steward_in_team, reason="Gone"
    )
    assert cast.team.members.filter(pk=cast.steward_in_team.pk).exists()
    with pytest.raises(PermissionDenied, match="second member"):
        services.removal_agree(actor=cast.owner, proposal=proposal)
    services.removal_agree(actor=third, proposal=proposal)
    assert not cast.team.members.filter(pk=cast.steward_in_team.pk).exists()
    assert not role.holders.exists()
    change = cast.team.changes.first()
    assert (change.kind, change.by, change.proposed_by) == (
        MembershipChange.Kind.REMOVED,
        third,
        cast.owner,
    )


def test_the_colleague_named_may_agree_which_is_their_own_leaving(cast):
    proposal = services.removal_propose(
        actor=cast.owner, team=cast.team, member=cast.steward_in_team
    )
    services.removal_agree(actor=cast.steward_in_team, proposal=proposal)
    assert list(cast.team.members.all()) == [cast.owner]
    assert cast.team.changes.first().kind == MembershipChange.Kind.LEFT


def test_no_one_person_can_empty_a_team(cast):
    """A member proposing to remove everyone else changes nothing on their own."""
    third = factories.member("third", teams=[cast.team])
    for member in (cast.steward_in_team, third):
        proposal = services.removal_propose(
            actor=cast.owner, team=cast.team, member=member
        )
        with pytest.raises(PermissionDenied):
            services.removal_agree(actor=cast.owner, proposal=proposal)
    assert cast.team.members.count() == 3


def test_the_last_two_cannot_be_reduced_to_one_by_one_of_them(cast):
    proposal = services.removal_propose(
        actor=cast.steward_in_team, team=cast.team, member=cast.owner
    )
    with pytest.raises(PermissionDenied):
        services.removal_agree(actor=cast.steward_in_team, proposal=proposal)
    with pytest.raises(ValidationError, match="Leave the team"):
        services.removal_propose(actor=cast.owner, team=cast.team, member=cast.owner)
    assert cast.team.members.count() == 2


def test_a_withdrawn_proposal_cannot_be_agreed_to(cast):
    third = factories.member("third", teams=[cast.team])
    proposal = services.removal_propose(
        actor=cast.owner, team=cast.team, member=cast.steward_in_team
    )
    with pytest.raises(PermissionDenied):
        services.removal_withdraw(actor=third, proposal=proposal)
    services.removal_withdraw(actor=cast.owner, proposal=proposal)
    with pytest.raises(ValidationError, match="already settled"):
        services.removal_agree(actor=third, proposal=proposal)
    assert cast.team.members.filter(pk=cast.steward_in_team.pk).exists()


def test_a_proposers_leaving_withdraws_their_proposals(cast):
    third = factories.member("third", teams=[cast.team])
    proposal = services.removal_propose(
        actor=cast.owner, team=cast.team, member=cast.steward_in_team
    )
    services.team_leave(actor=cast.owner, team=cast.team)
    with pytest.raises(ValidationError, match="already settled"):
        services.removal_agree(actor=third, proposal=proposal)
    assert cast.team.members.filter(pk=cast.steward_in_team.pk).exists()


def test_the_team_hears_of_every_change_and_so_does_the_person(cast, settings):
    from purposeful.notifications.models import Notification

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        request = services.team_join(actor=cast.outsider, team=cast.team)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.join_request_accept(actor=cast.owner, join_request=request)
    told = Notification.objects.filter(topic="teams")
    asked = told.filter(subject="Outsider asks to join Workshop")
    assert {n.member.username for n in asked} == {"owner", "steward2"}
    accepted = told.filter(subject="Owner accepted Outsider into Workshop")
    assert {n.member.username for n in accepted} == {"steward2", "outsider"}
    assert asked.first().link == cast.team.get_absolute_url()


def test_a_role_is_filled_only_from_its_team(cast):
    role = services.role_create(
        actor=cast.owner,
        team=cast.team,
        name="Customer link",
        kind=Role.Kind.CUSTOMER_LINK,
    )
    with pytest.raises(ValidationError, match="not a member of Workshop"):
        services.role_assign(actor=cast.owner, role=role, member=cast.outsider)
    services.role_assign(actor=cast.owner, role=role, member=cast.owner)
    assert role.is_customer_link and list(role.holders.all()) == [cast.owner]


def test_role_names_are_unique_within_a_team(cast):
    services.role_create(actor=cast.owner, team=cast.team, name="Buyer")
    with pytest.raises(ValidationError):
        services.role_create(actor=cast.owner, team=cast.team, name="Buyer")


def test_ally_website_must_be_a_url(cast):
    with pytest.raises(ValidationError) as error:
        services.ally_create(actor=cast.owner, name="Friends", website="not a url")
    assert "website" in error.value.message_dict


def test_only_stewards_change_installation_settings(cast):
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=cast.owner, name="Mine now")
    organisation = services.organisation_update(actor=cast.steward, name="Renamed")
    assert organisation.name == "Renamed"
