"""The inbox: states, assignment, tags, merge, replies; and the public form."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from purposeful.feedback import selectors, services, spam
from purposeful.feedback.models import Reply, Signal, SignalEvent
from purposeful.offers.models import Offer
from purposeful.relationships.models import Account, Contact


def _started(seconds_ago: float = 10) -> str:
    return spam.started_token(time.time() - seconds_ago)


def _submit(**overrides):
    data = {
        "words": "My wheel wobbles after the repair.",
        "name": "Robin",
        "email": "robin@example.net",
        "started": _started(),
        "ip": "203.0.113.5",
    }
    data.update(overrides)
    return services.feedback_submit(**data)


def test_general_message_goes_to_the_team_the_organisation_chose(cast):
    services.settings_update(actor=cast.steward, general_team=cast.other_team)
    signal, key = _submit()
    assert signal.team == cast.other_team
    assert signal.source == Signal.Source.PUBLIC_FORM
    assert signal.state == Signal.State.NEW
    assert services.signal_by_key(key) == signal


def test_without_a_choice_general_messages_go_to_the_first_team(cast):
    signal, _ = _submit()
    assert signal.team.name == "Learning Lab"


def test_follow_key_is_unguessable_and_only_its_digest_is_stored(cast):
    signal, key = _submit()
    assert len(key) >= 40
    assert key not in signal.follow_digest
    assert services.signal_by_key(key + "x") is None
    assert services.signal_by_key("") is None


def test_only_stewards_choose_the_general_team(cast):
    with pytest.raises(PermissionDenied):
        services.settings_update(actor=cast.owner, general_team=cast.team)


def test_honeypot_stops_a_scripted_submission(cast):
    with pytest.raises(spam.SpamRefused):
        _submit(honeypot="http://spam.example")
    assert not Signal.objects.exists()


def test_time_trap_stops_a_submission_faster_than_a_person(cast):
    with pytest.raises(spam.SpamRefused, match="very quick"):
        _submit(started=_started(seconds_ago=0.2))
    assert not Signal.objects.exists()


def test_time_trap_refuses_a_forged_timestamp(cast):
    with pytest.raises(spam.SpamRefused, match="expired"):
        _submit(started=str(time.time() - 60))
    assert not Signal.objects.exists()


def test_rate_limit_stops_the_sixth_message_from_one_address(cast, settings):
    settings.FEEDBACK_RATE_LIMIT = (5, 3600)
    for n in range(5):
        _submit(email=f"person{n}@example.net")
    with pytest.raises(spam.SpamRefused, match="several messages"):
        _submit(email="person9@example.net")
    assert Signal.objects.count() == 5


def test_rate_limit_also_counts_per_email_address(cast, settings):
    settings.FEEDBACK_RATE_LIMIT = (2, 3600)
    _submit(ip="198.51.100.1")
    _submit(ip="198.51.100.2")
    with pytest.raises(spam.SpamRefused):
        _submit(ip="198.51.100.3")


def test_message_from_a_known_contact_is_linked_quietly(cast):
    Contact.objects.create(account=cast.account, name="Ana", email="ana@bakery.example")
    signal, _ = _submit(email="ANA@bakery.example")
    assert signal.account == cast.account
    view = selectors.public_view(signal)
    assert "account" not in view and cast.account.name not in str(view)


def test_unknown_offer_falls_back_to_the_general_team(cast):
    services.settings_update(actor=cast.steward, general_team=cast.team)
    signal, _ = _submit(offer_slug="no-such-offer")
    assert signal.team == cast.team
    assert signal.offer is None


def test_message_about_an_offer_goes_to_the_team_that_makes_it(cast):
    services.settings_update(actor=cast.steward, general_team=cast.team)
    offer = Offer.objects.create(
        team=cast.other_team, slug="repair-course", state=Offer.State.PUBLISHED
    )
    signal, _ = _submit(offer_slug="repair-course")
    assert signal.team == cast.other_team
    assert signal.offer == offer


def test_a_draft_offer_is_not_revealed_and_does_not_route(cast):
    services.settings_update(actor=cast.steward, general_team=cast.team)
    Offer.objects.create(team=cast.other_team, slug="secret-plan")
    signal, _ = _submit(offer_slug="secret-plan")
    assert signal.team == cast.team and signal.offer is None


def test_owner_acknowledges_and_the_history_records_it(cast):
    services.signal_acknowledge(actor=cast.owner, signal=cast.signal)
    cast.signal.refresh_from_db()
    assert cast.signal.state == Signal.State.ACKNOWLEDGED
    event = cast.signal.events.get(kind=SignalEvent.Kind.STATE)
    assert event.actor == cast.owner and event.state == Signal.State.ACKNOWLEDGED


def test_member_of_other_team_cannot_triage(cast):
    with pytest.raises(PermissionDenied, match="triage its inbox"):
        services.signal_acknowledge(actor=cast.outsider, signal=cast.signal)
    assert Signal.objects.get(pk=cast.signal.pk).state == Signal.State.NEW


def test_steward_outside_the_team_cannot_triage(cast):
    with pytest.raises(PermissionDenied):
        services.signal_acknowledge(actor=cast.steward, signal=cast.signal)


def test_declining_needs_a_reason(cast):
    with pytest.raises(ValidationError) as error:
        services.signal_decline(actor=cast.owner, signal=cast.signal, reason=" ")
    assert "reason" in error.value.message_dict
    services.signal_decline(
        actor=cast.owner, signal=cast.signal, reason="We do not repair e-scooters."
    )
    assert Signal.objects.get(pk=cast.signal.pk).decline_reason.startswith("We do")


def test_a_done_signal_cannot_jump_to_in_progress(cast):
    services.signal_transition(actor=cast.owner, signal=cast.signal, to="done")
    with pytest.raises(ValidationError, match="cannot become in progress"):
        services.signal_transition(
            actor=cast.owner, signal=cast.signal, to="in_progress"
        )
    services.signal_transition(actor=cast.owner, signal=cast.signal, to="acknowledged")
    assert Signal.objects.get(pk=cast.signal.pk).state == "acknowledged"


def test_assignment_is_only_to_someone_in_the_team(cast):
    with pytest.raises(ValidationError):
        services.signal_assign(
            actor=cast.owner, signal=cast.signal, assignee=cast.outsider
        )
    services.signal_assign(actor=cast.owner, signal=cast.signal, assignee=cast.owner)
    assert Signal.objects.get(pk=cast.signal.pk).assignee == cast.owner


def test_tags_are_normalised_and_searchable(cast):
    services.signal_tag(
        actor=cast.owner, signal=cast.signal, tags=["Brakes", " brakes", "Cargo  bike"]
    )
    assert sorted(t.name for t in cast.signal.tags.all()) == ["brakes", "cargo bike"]
    assert list(selectors.signals(team=cast.team, tag="BRAKES")) == [cast.signal]
    assert list(selectors.signals(team=cast.team, tag="wheels")) == []


def test_search_finds_words_sender_and_account(cast):
    account = Account.objects.create(name="Riverside Bakery", team=cast.team)
    a = Signal.objects.create(team=cast.team, words="Chain skips on hills")
    b = Signal.objects.create(team=cast.team, words="x", sender_name="Harriet")
    c = Signal.objects.create(team=cast.team, words="y", account=account)
    assert list(selectors.signals(q="chain SKIPS")) == [a]
    assert list(selectors.signals(q="harriet")) == [b]
    assert list(selectors.signals(q="riverside")) == [c]


def test_merge_keeps_both_histories_and_leads_the_sender_on(cast):
    duplicate, key = _submit()
    duplicate.team = cast.team
    duplicate.save()
    services.signal_tag(actor=cast.owner, signal=duplicate, tags=["wheels"])
    services.signal_merge(actor=cast.owner, duplicate=duplicate, into=cast.signal)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == cast.signal
    assert duplicate.events.filter(kind="merged").exists()
    assert cast.signal.events.filter(kind="merged").exists()
    assert duplicate.events.filter(kind="tagged").exists()
    assert [t.name for t in cast.signal.tags.all()] == ["wheels"]
    assert duplicate not in selectors.signals(team=cast.team)
    services.signal_acknowledge(actor=cast.owner, signal=cast.signal)
    view = selectors.public_view(services.signal_by_key(key))
    assert view["state"] == Signal.State.ACKNOWLEDGED and view["is_merged"]


def test_merge_across_teams_is_refused(cast):
    other = Signal.objects.create(team=cast.other_team, words="z")
    with pytest.raises(PermissionDenied):
        services.signal_merge(actor=cast.owner, duplicate=cast.signal, into=other)


def test_reply_is_emailed_through_a_background_task(cast):
    signal, key = _submit()
    signal.team = cast.team
    signal.save()
    mail.outbox.clear()
    reply = services.signal_reply(
        actor=cast.owner, signal=signal, text="We'll true the wheel for free."
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["robin@example.net"]
    assert "true the wheel" in mail.outbox[0].body
    assert Reply.objects.get(pk=reply.pk).emailed_at is not None
    assert selectors.public_view(signal)["replies"] == [reply]


def test_outsider_cannot_reply(cast):
    with pytest.raises(PermissionDenied):
        services.signal_reply(actor=cast.outsider, signal=cast.signal, text="Hi")
    assert not Reply.objects.exists()


def test_any_member_may_pass_a_signal_to_another_team(cast):
    signal = services.signal_record(
        actor=cast.outsider,
        team=cast.team,
        kind="need",
        words="The school wants a bike check before summer.",
        tags=["schools"],
    )
    assert signal.team == cast.team and signal.recorded_by == cast.outsider
    assert [t.name for t in signal.tags.all()] == ["schools"]


def test_new_counts_show_each_of_my_teams(cast):
    assert cast.signal.state == "new"
    assert [(t.name, n) for t, n in selectors.new_counts_for(cast.owner)] == [
        ("Workshop", 1)
    ]


@pytest.mark.parametrize("rare_matches", [1, 500])
def test_search_finds_the_same_newest_first_whether_matches_are_rare_or_common(
    cast, monkeypatch, rare_matches
):
    monkeypatch.setattr(selectors, "RARE_MATCHES", rare_matches)
    older = Signal.objects.create(team=cast.team, words="Wobbly wheel again")
    newer = Signal.objects.create(team=cast.team, words="another wobbly wheel")
    Signal.objects.create(team=cast.team, words="brakes")
    assert list(selectors.signals(q="wobbly")) == [newer, older]
