"""Messages through their life: drafted, advised on, ready, published; versions; lens settings."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from purposeful.outreach import lens_service, reviewing, services
from purposeful.outreach.models import Message
from tests.outreach.factories import PURPOSE_LED, URGENT_FEAR


@pytest.fixture
def draft(cast):
    return services.message_create(
        actor=cast.owner, team=cast.team, title="Spring newsletter", body=URGENT_FEAR
    )


def test_creating_a_message_keeps_a_reviewed_first_version(draft):
    version = draft.latest_version
    assert version.number == 1
    assert version.body == URGENT_FEAR
    assert version.category_counts["manipulation.urgency"] >= 1
    assert version.category_counts["manipulation.fear"] >= 1
    assert version.purpose_alignment is not None


def test_member_of_other_team_cannot_write_for_the_team(cast):
    with pytest.raises(PermissionDenied, match="Workshop"):
        services.message_create(
            actor=cast.outsider, team=cast.team, title="x", body="y"
        )
    assert not Message.objects.exists()


def test_steward_outside_the_team_cannot_change_its_message(cast, draft):
    with pytest.raises(PermissionDenied):
        services.message_update(actor=cast.steward, message=draft, body="Changed")
    draft.refresh_from_db()
    assert draft.body == URGENT_FEAR


def test_new_words_make_a_new_version_and_same_words_do_not(cast, draft):
    services.message_update(actor=cast.owner, message=draft, body=PURPOSE_LED)
    services.message_update(actor=cast.owner, message=draft, audience="Commuters")
    assert list(draft.versions.values_list("number", flat=True)) == [2, 1]
    assert draft.latest_version.category_counts == {}


def test_message_goes_from_draft_through_advice_to_published(cast, draft):
    services.message_ask_advice(actor=cast.owner, message=draft, note="Too pushy?")
    services.message_give_advice(
        actor=cast.outsider, message=draft, text="Drop the deadline."
    )
    services.message_update(actor=cast.owner, message=draft, body=PURPOSE_LED)
    services.message_mark_ready(actor=cast.owner, message=draft)
    services.message_publish(
        actor=cast.owner, message=draft, where="Newsletter, 840 readers"
    )
    draft.refresh_from_db()
    assert draft.state == Message.State.PUBLISHED
    assert draft.published_where == "Newsletter, 840 readers"
    assert draft.published_at is not None
    assert draft.advice.get().text == "Drop the deadline."


def test_a_draft_cannot_be_marked_ready_without_asking_advice(cast, draft):
    with pytest.raises(ValidationError, match="advice"):
        services.message_mark_ready(actor=cast.owner, message=draft)


def test_changing_the_words_of_a_ready_message_sends_it_back_to_draft(cast, draft):
    services.message_ask_advice(actor=cast.owner, message=draft)
    services.message_mark_ready(actor=cast.owner, message=draft)
    services.message_update(actor=cast.owner, message=draft, body=PURPOSE_LED)
    assert draft.state == Message.State.DRAFT


def test_publishing_needs_to_say_where(cast, draft):
    services.message_ask_advice(actor=cast.owner, message=draft)
    services.message_mark_ready(actor=cast.owner, message=draft)
    with pytest.raises(ValidationError) as error:
        services.message_publish(actor=cast.owner, message=draft, where="  ")
    assert "where" in error.value.message_dict


def _ready(cast, body):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=body
    )
    services.message_ask_advice(actor=cast.owner, message=message)
    services.message_mark_ready(actor=cast.owner, message=message)
    return message


def test_an_error_finding_blocks_publishing_when_the_stewards_say_so(cast):
    services.lens_settings_update(
        actor=cast.steward,
        grades={"manipulation.urgency": "error"},
        errors_block_publishing=True,
    )
    message = _ready(cast, "Hurry, offer ends today.")
    with pytest.raises(ValidationError, match="False urgency") as refused:
        services.message_publish(actor=cast.owner, message=message, where="Instagram")
    assert re.match(
        r"The lens finds (1 error|\d+ errors) \(", refused.value.messages[0]
    )
    message.refresh_from_db()
    assert message.state == Message.State.READY


def test_an_error_finding_does_not_block_when_the_stewards_allow_it(cast):
    services.lens_settings_update(
        actor=cast.steward,
        grades={"manipulation.urgency": "error"},
        errors_block_publishing=False,
    )
    message = _ready(cast, "Hurry, offer ends today.")
    services.message_publish(actor=cast.owner, message=message, where="Instagram")
    assert message.is_published


def test_a_published_message_cannot_change_or_be_deleted(cast):
    message = _ready(cast, PURPOSE_LED)
    services.message_publish(actor=cast.owner, message=message, where="Website")
    with pytest.raises(ValidationError):
        services.message_update(actor=cast.owner, message=message, body="new")
    with pytest.raises(ValidationError):
        services.message_delete(actor=cast.owner, message=message)


def test_only_stewards_change_the_lens_settings(cast):
    with pytest.raises(PermissionDenied, match="stewards"):
        services.lens_settings_update(actor=cast.owner, competitors="MegaBikes")
    assert lens_service.lens_settings_get().competitors == ""


def test_lens_settings_reject_unknown_ids_and_claims_without_evidence(cast):
    with pytest.raises(ValidationError):
        services.lens_settings_update(
            actor=cast.steward, grades={"manipulation.nope": "off"}
        )
    with pytest.raises(ValidationError) as error:
        services.lens_settings_update(
            actor=cast.steward, claims=[("carbon neutral", "not a link")]
        )
    assert "carbon neutral" in str(error.value)


def test_competitors_are_flagged_and_allies_never(cast):
    from tests import factories

    services.lens_settings_update(
        actor=cast.steward, competitors="MegaBikes\nRepair Café"
    )
    from purposeful.organisation.models import Ally

    Ally.objects.create(name="Repair Café")
    review = lens_service.review_text("MegaBikes and Repair Café both fix bikes.")
    assert [f.text for f in review.findings if f.id == "competition.superiority"] == [
        "MegaBikes"
    ]
    assert factories  # the organisation fixture is in place


def test_disabled_category_is_not_reported(cast):
    services.lens_settings_update(
        actor=cast.steward, grades={"manipulation.urgency": "off"}
    )
    review = lens_service.review_text("Hurry, offer ends today.")
    assert not [f for f in review.findings if f.id == "manipulation.urgency"]


def test_substantiated_claim_is_suppressed_with_its_evidence(cast):
    services.lens_settings_update(
        actor=cast.steward,
        claims=[("carbon neutral", "https://wheelhouse.example/lca.pdf")],
    )
    review = lens_service.review_text("Our deliveries are carbon neutral.")
    assert not [f for f in review.findings if f.id == "claims.greenwash"]
    assert review.suppressed[0].evidence == "https://wheelhouse.example/lca.pdf"


@pytest.fixture
def lens_calls(monkeypatch):
    """Each review the organisation's lens makes, with whether a transaction was open."""
    from django.db import connection

    calls: list[bool] = []
    review_text = lens_service.review_text

    def recording(*args, **kwargs):
        calls.append(connection.in_atomic_block)
        return review_text(*args, **kwargs)

    monkeypatch.setattr(lens_service, "review_text", recording)
    return calls


@pytest.mark.django_db(transaction=True)
def test_saving_a_message_reviews_its_words_before_any_transaction_opens(
    cast, lens_calls
):
    """A long review inside a transaction held SQLite's write lock: every write waited."""
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="Spring", body=URGENT_FEAR
    )
    services.message_update(actor=cast.owner, message=message, body=PURPOSE_LED)
    services.message_update(actor=cast.owner, message=message, title="Summer")
    assert lens_calls == [False, False, False]
    assert message.versions.count() == 3


def test_a_version_keeps_its_whole_review_with_the_lens_version_that_made_it(draft):
    version = draft.latest_version
    config = lens_service.lens_config()
    assert version.lens_version == lens_service.lens_version(config)
    assert version.review == reviewing.review_data(
        lens_service.review_text(URGENT_FEAR, config=config)
    )


def test_reading_a_messages_review_uses_the_stored_one(draft, lens_calls):
    review = services.message_review_get(message=draft)
    assert lens_calls == []
    assert reviewing.review_data(review) == draft.latest_version.review


def test_a_stored_review_is_made_again_when_the_lens_settings_change(
    cast, draft, lens_calls
):
    services.lens_settings_update(
        actor=cast.steward, grades={"manipulation.urgency": "off"}
    )
    review = services.message_review_get(message=draft)
    assert "manipulation.urgency" not in {f.id for f in review.findings}
    assert len(lens_calls) == 1
    version = draft.latest_version
    assert version.lens_version == lens_service.lens_version(lens_service.lens_config())
    services.message_review_get(message=draft)
    assert len(lens_calls) == 1  # stored again, read from then on


def test_a_message_the_lens_cannot_review_in_time_is_refused_with_a_plain_message(
    cast, monkeypatch
):
    monkeypatch.setattr(lens_service, "REVIEW_TIME_LIMIT", 0.0)
    with pytest.raises(ValidationError, match="longer than its budget") as caught:
        services.message_create(
            actor=cast.owner, team=cast.team, title="Spring", body=URGENT_FEAR
        )
    assert "body" in caught.value.message_dict
    assert not Message.objects.exists()
