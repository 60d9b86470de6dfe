"""Accounts belong to teams; only the owning team writes; hand-overs need both teams."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from purposeful.organisation.models import Ally
from purposeful.relationships import selectors, services
from purposeful.relationships.models import Account, Handover
from tests import factories


def test_member_of_a_team_adds_a_customer_owned_by_the_team(cast):
    account = services.account_create(
        actor=cast.owner, team=cast.team, name="  Riverside Bakery "
    )
    assert account.team == cast.team
    assert account.name == "Riverside Bakery"


def test_member_of_other_team_cannot_add_a_customer_for_the_team(cast):
    with pytest.raises(PermissionDenied, match="Only members of Workshop"):
        services.account_create(actor=cast.outsider, team=cast.team, name="X")
    assert not Account.objects.exists()


def test_steward_outside_the_team_cannot_change_its_customer(cast):
    with pytest.raises(PermissionDenied):
        services.account_update(actor=cast.steward, account=cast.account, name="Y")
    assert Account.objects.get(pk=cast.account.pk).name == "Riverside Bakery"


def test_account_update_refuses_unknown_fields(cast):
    with pytest.raises(ValidationError):
        services.account_update(actor=cast.owner, account=cast.account, team=1)


def test_contact_consent_time_is_recorded_when_given_and_when_withdrawn(cast):
    contact = services.contact_create(
        actor=cast.owner,
        account=cast.account,
        name="Ana Lopez",
        email="Ana@Bakery.example",
        consents_to_contact=True,
    )
    assert contact.email == "ana@bakery.example"
    first = contact.consent_recorded_at
    assert first is not None
    services.contact_update(
        actor=cast.owner, contact=contact, consents_to_contact=False
    )
    contact.refresh_from_db()
    assert contact.consents_to_contact is False
    assert contact.consent_recorded_at >= first


def test_contact_with_invalid_email_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        services.contact_create(
            actor=cast.owner, account=cast.account, name="Ana", email="not-an-email"
        )
    assert "email" in error.value.message_dict


def test_outsider_cannot_log_a_conversation(cast):
    with pytest.raises(PermissionDenied):
        services.conversation_log(
            actor=cast.outsider, account=cast.account, kind="call", summary="Hi"
        )


def test_conversation_records_who_when_and_what(cast):
    when = timezone.now() - timedelta(days=2)
    conversation = services.conversation_log(
        actor=cast.owner,
        account=cast.account,
        kind="visit",
        summary="Checked the cargo bike fleet.",
        happened_at=when,
    )
    assert conversation.member == cast.owner
    assert conversation.happened_at == when


def test_conversation_cannot_be_in_the_future(cast):
    with pytest.raises(ValidationError):
        services.conversation_log(
            actor=cast.owner,
            account=cast.account,
            kind="call",
            summary="Later",
            happened_at=timezone.now() + timedelta(days=1),
        )


def test_conversation_contact_must_belong_to_the_account(cast):
    other = Account.objects.create(name="Other", team=cast.team)
    contact = services.contact_create(actor=cast.owner, account=other, name="Bo")
    with pytest.raises(ValidationError):
        services.conversation_log(
            actor=cast.owner,
            account=cast.account,
            kind="call",
            summary="x",
            contact=contact,
        )


def test_handover_moves_the_account_only_when_the_receiving_team_accepts(cast):
    handover = services.handover_propose(
        actor=cast.owner,
        account=cast.account,
        to_team=cast.other_team,
        reason="They want a course, not a repair.",
    )
    assert Account.objects.get(pk=cast.account.pk).team == cast.team
    services.handover_accept(actor=cast.outsider, handover=handover, response="Glad to")
    handover.refresh_from_db()
    assert handover.state == Handover.State.ACCEPTED
    assert handover.decided_by == cast.outsider
    assert Account.objects.get(pk=cast.account.pk).team == cast.other_team


def test_owning_team_cannot_accept_its_own_handover(cast):
    handover = services.handover_propose(
        actor=cast.owner, account=cast.account, to_team=cast.other_team, reason="r"
    )
    with pytest.raises(PermissionDenied, match="receiving team"):
        services.handover_accept(actor=cast.owner, handover=handover)
    assert Account.objects.get(pk=cast.account.pk).team == cast.team


def test_receiving_team_may_decline_and_the_account_stays(cast):
    handover = services.handover_propose(
        actor=cast.owner, account=cast.account, to_team=cast.other_team, reason="r"
    )
    services.handover_decline(actor=cast.outsider, handover=handover, response="No")
    assert Handover.objects.get(pk=handover.pk).state == Handover.State.DECLINED
    assert Account.objects.get(pk=cast.account.pk).team == cast.team
    with pytest.raises(ValidationError, match="already declined"):
        services.handover_accept(actor=cast.outsider, handover=handover)


def test_only_one_open_handover_per_account(cast):
    services.handover_propose(
        actor=cast.owner, account=cast.account, to_team=cast.other_team, reason="r"
    )
    with pytest.raises(ValidationError, match="already waiting"):
        services.handover_propose(
            actor=cast.owner, account=cast.account, to_team=cast.other_team, reason="r"
        )


def test_handover_to_the_owning_team_itself_is_refused(cast):
    with pytest.raises(ValidationError):
        services.handover_propose(
            actor=cast.owner, account=cast.account, to_team=cast.team, reason="r"
        )


def test_outsider_cannot_propose_a_handover(cast):
    with pytest.raises(PermissionDenied):
        services.handover_propose(
            actor=cast.outsider,
            account=cast.account,
            to_team=cast.other_team,
            reason="r",
        )


def test_referral_is_shown_on_the_account_and_counted_for_the_ally(cast):
    ally = Ally.objects.create(name="Open Bike Kitchen")
    services.referral_create(
        actor=cast.owner, account=cast.account, ally=ally, reason="Wants to DIY."
    )
    timeline = selectors.account_timeline(cast.account)
    assert [entry.kind for entry in timeline] == ["referral"]
    counts = {a.name: a.referral_count for a in selectors.allies_with_referral_counts()}
    assert counts == {"Open Bike Kitchen": 1}


def test_referral_survives_the_ally_leaving_the_directory(cast):
    ally = Ally.objects.create(name="Pedal Post")
    referral = services.referral_create(
        actor=cast.owner, account=cast.account, ally=ally, reason="Courier bikes."
    )
    ally.delete()
    referral.refresh_from_db()
    assert referral.ally is None and referral.ally_name == "Pedal Post"


def test_people_to_talk_to_are_the_teams_customer_link_holders(cast):
    factories.role(cast.team, holders=[cast.owner])
    assert selectors.people_to_talk_to(cast.account) == [cast.owner]


def test_timeline_lists_conversations_and_signals_newest_first(cast):
    from purposeful.feedback.models import Signal

    services.conversation_log(
        actor=cast.owner,
        account=cast.account,
        kind="call",
        summary="old call",
        happened_at=timezone.now() - timedelta(days=3),
    )
    Signal.objects.create(team=cast.team, account=cast.account, words="new praise")
    kinds = [entry.kind for entry in selectors.account_timeline(cast.account)]
    assert kinds == ["signal", "conversation"]
