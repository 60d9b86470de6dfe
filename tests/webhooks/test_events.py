"""The owning services emit their events; a listening endpoint receives them."""

from __future__ import annotations

from purposeful.feedback import services as feedback
from purposeful.offers import services as offers
from purposeful.outreach import services as outreach
from purposeful.webhooks import services


def _listen(cast, receiver, events):
    return services.endpoint_create(actor=cast.steward, url=receiver.url, events=events)


def test_recording_a_signal_emits_signal_created(
    cast, receiver, django_capture_on_commit_callbacks
):
    _listen(cast, receiver, ["signal.created"])
    with django_capture_on_commit_callbacks(execute=True):
        signal = feedback.signal_record(
            actor=cast.outsider,
            team=cast.team,
            kind="need",
            words="A cargo bike loaner.",
        )
    (event,) = receiver.events
    assert event["type"] == "signal.created"
    assert event["data"]["signal"]["id"] == signal.pk
    assert event["data"]["signal"]["team"] == cast.team.slug
    assert event["data"]["signal"]["words"] == "A cargo bike loaner."


def test_changing_a_signals_state_emits_the_change(
    cast, receiver, django_capture_on_commit_callbacks
):
    _listen(cast, receiver, ["signal.state_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        feedback.signal_acknowledge(actor=cast.owner, signal=cast.signal)
    (event,) = receiver.events
    assert event["data"]["previous_state"] == "new"
    assert event["data"]["signal"]["state"] == "acknowledged"


def test_publishing_an_offer_emits_offer_published(
    cast, receiver, django_capture_on_commit_callbacks
):
    _listen(cast, receiver, ["offer.published"])
    with django_capture_on_commit_callbacks(execute=True):
        version = offers.offer_publish(actor=cast.owner, offer=cast.offer)
    (event,) = receiver.events
    assert event["data"]["offer"]["slug"] == cast.offer.slug
    assert event["data"]["offer"]["version"] == version.number


def test_publishing_a_message_emits_message_published(
    cast, receiver, django_capture_on_commit_callbacks
):
    _listen(cast, receiver, ["message.published"])
    message = cast.message
    outreach.message_ask_advice(actor=cast.owner, message=message)
    outreach.message_mark_ready(actor=cast.owner, message=message)
    with django_capture_on_commit_callbacks(execute=True):
        outreach.message_publish(actor=cast.owner, message=message, where="Newsletter")
    (event,) = receiver.events
    assert event["data"]["message"]["id"] == message.pk
    assert event["data"]["message"]["where"] == "Newsletter"


def test_the_public_form_emits_signal_created_without_the_senders_address(
    cast, receiver, settings, django_capture_on_commit_callbacks
):
    from purposeful.feedback import spam

    settings.FEEDBACK_MIN_SECONDS = 0
    feedback.settings_update(actor=cast.steward, general_team=cast.team)
    _listen(cast, receiver, ["signal.created"])
    with django_capture_on_commit_callbacks(execute=True):
        feedback.feedback_submit(
            words="Do you fix e-bikes?",
            email="rider@example.org",
            name="Rider",
            started=spam.started_token(),
        )
    (event,) = receiver.events
    assert "rider@example.org" not in receiver.requests[0]["body"]
    assert "Rider" not in receiver.requests[0]["body"]
    assert event["data"]["signal"]["source"] == "public_form"
