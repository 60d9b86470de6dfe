from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from purposeful.organisation import services
from purposeful.organisation.models import Membership, Role
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


def test_anyone_may_join_and_leave_and_leaving_drops_their_roles(cast):
    role = factories.role(cast.team, holders=[cast.owner])
    services.team_join(actor=cast.outsider, team=cast.team)
    assert cast.team.members.filter(pk=cast.outsider.pk).exists()
    services.team_member_remove(actor=cast.owner, team=cast.team, member=cast.owner)
    assert not Membership.objects.filter(team=cast.team, member=cast.owner).exists()
    assert not role.holders.filter(pk=cast.owner.pk).exists()


def test_member_of_another_team_cannot_remove_someone_from_a_team(cast):
    with pytest.raises(PermissionDenied):
        services.team_member_remove(
            actor=cast.outsider, team=cast.team, member=cast.owner
        )


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
