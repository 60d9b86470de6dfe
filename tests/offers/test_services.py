"""Drafting, advice, publishing and retiring offers through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from purposeful.offers import services
from purposeful.offers.models import (
    IMAGE_MAX_BYTES,
    Advice,
    Offer,
    OfferImage,
    OfferVersion,
)
from tests import factories
from tests.offers.factories import canvas, offer, picture, published_offer


def test_member_drafts_an_offer_for_their_team(cast):
    made = offer(cast.team, cast.owner)
    assert made.state == Offer.State.DRAFT
    assert made.slug == "honest-repair-check"
    assert made.owning_team == cast.team
    [version] = made.versions.all()
    assert (version.number, version.status) == (1, OfferVersion.Status.DRAFT)
    assert version.created_by == cast.owner


def test_member_of_other_team_cannot_draft_for_the_team(cast):
    with pytest.raises(PermissionDenied, match="Only members of Workshop"):
        offer(cast.team, cast.outsider)
    assert not Offer.objects.exists()


def test_slugs_are_unique_and_never_hide_a_page(cast):
    first = offer(cast.team, cast.owner)
    second = offer(cast.team, cast.owner)
    reserved = offer(cast.team, cast.owner, name="New")
    assert (first.slug, second.slug) == ("honest-repair-check", "honest-repair-check-2")
    assert reserved.slug == "new-offer"


def test_publishing_freezes_the_draft_as_the_public_version(cast):
    made = offer(cast.team, cast.owner)
    version = services.offer_publish(actor=cast.owner, offer=made, change_note="First.")
    made.refresh_from_db()
    assert made.state == Offer.State.PUBLISHED
    assert version.status == OfferVersion.Status.PUBLISHED
    assert version.published_by == cast.owner and version.published_at
    assert made.published_version == version
    assert made.working_version is None


def test_editing_a_published_offer_starts_a_new_draft_and_keeps_the_public_one(cast):
    made = published_offer(cast.team, cast.owner)
    draft = services.offer_update(
        actor=cast.owner, offer=made, summary="Now with a written list."
    )
    made.refresh_from_db()
    assert draft.number == 2 and draft.status == OfferVersion.Status.DRAFT
    assert made.state == Offer.State.PUBLISHED
    assert made.published_version.number == 1
    assert made.published_version.summary == canvas()["summary"]
    again = services.offer_update(actor=cast.owner, offer=made, need="Changed twice.")
    assert again.pk == draft.pk, "a second edit changes the same draft"


def test_published_version_never_changes_when_the_draft_changes(cast):
    made = published_offer(cast.team, cast.owner)
    first = made.published_version
    services.offer_update(actor=cast.owner, offer=made, name="Renamed")
    services.offer_publish(actor=cast.owner, offer=made)
    first.refresh_from_db()
    assert first.name == "Honest repair check"
    assert list(made.versions.values_list("number", "name")) == [
        (2, "Renamed"),
        (1, "Honest repair check"),
    ]


def test_publishing_an_unchanged_copy_is_refused(cast):
    made = published_offer(cast.team, cast.owner)
    services.offer_update(actor=cast.owner, offer=made, change_note="No real change")
    with pytest.raises(ValidationError, match="exactly what version 1 says"):
        services.offer_publish(actor=cast.owner, offer=made)


def test_nothing_to_publish_without_a_draft(cast):
    made = published_offer(cast.team, cast.owner)
    with pytest.raises(ValidationError, match="no draft to publish"):
        services.offer_publish(actor=cast.owner, offer=made)


def test_member_of_other_team_cannot_publish(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(PermissionDenied, match="Only members of Workshop can publish"):
        services.offer_publish(actor=cast.outsider, offer=made)
    with pytest.raises(PermissionDenied):
        services.offer_publish(actor=cast.steward, offer=made)
    made.refresh_from_db()
    assert made.state == Offer.State.DRAFT


def test_steward_in_the_team_publishes_as_a_team_member(cast):
    made = offer(cast.team, cast.owner)
    services.offer_publish(actor=cast.steward_in_team, offer=made)
    made.refresh_from_db()
    assert made.is_published


def test_asking_advice_records_the_request_and_tells_the_colleagues(
    cast, django_capture_on_commit_callbacks
):
    from purposeful.notifications.services import preferences_update

    made = offer(cast.team, cast.owner)
    colleague = factories.member("colleague", teams=[cast.other_team])
    for member in (colleague, cast.outsider):
        preferences_update(
            actor=member, member=member, choices={"advice": "immediately"}
        )
    with django_capture_on_commit_callbacks(execute=True):
        requests = services.offer_ask_advice(
            actor=cast.owner,
            offer=made,
            members=[colleague],
            teams=[cast.other_team],
            message="Is the price clear?",
        )
    made.refresh_from_db()
    assert made.state == Offer.State.ADVICE
    assert [r.asked for r in requests] == ["Colleague", "the Learning Lab team"]
    assert made.working_version.status == OfferVersion.Status.ADVICE
    # e-mail goes out once the transaction commits, to those who chose to hear at
    # once; one per person, none to the author
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == ["colleague@example.org", "outsider@example.org"]
    assert "Is the price clear?" in mail.outbox[0].body


def test_advice_requests_are_mailed_at_once_only_to_those_who_chose_so(
    cast, django_capture_on_commit_callbacks
):
    from purposeful.notifications.services import preferences_update

    made = offer(cast.team, cast.owner)
    on_digest = factories.member("digest", teams=[cast.other_team])
    quiet = factories.member("quiet", teams=[cast.other_team])
    preferences_update(actor=quiet, member=quiet, choices={"advice": "never"})
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_ask_advice(
            actor=cast.owner, offer=made, members=[on_digest, quiet]
        )
    assert mail.outbox == []


def test_asking_nobody_or_only_yourself_is_refused(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(ValidationError, match="at least one colleague"):
        services.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.owner])
    made.refresh_from_db()
    assert made.state == Offer.State.DRAFT


def test_member_of_other_team_cannot_ask_advice_on_the_offer(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(PermissionDenied):
        services.offer_ask_advice(actor=cast.outsider, offer=made, members=[cast.owner])


def test_any_member_gives_advice_and_it_stays_with_the_version(
    cast, django_capture_on_commit_callbacks
):
    made = offer(cast.team, cast.owner)
    services.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
    with django_capture_on_commit_callbacks(execute=True):
        advice = services.advice_give(
            actor=cast.outsider, offer=made, text="Say how long it takes."
        )
    version = services.offer_publish(actor=cast.owner, offer=made)
    assert advice.version == version
    assert list(version.advice.values_list("text", flat=True)) == [
        "Say how long it takes."
    ]
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]


def test_advice_never_blocks_publishing(cast):
    made = offer(cast.team, cast.owner)
    services.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
    services.advice_give(actor=cast.outsider, offer=made, text="Please don't publish.")
    services.offer_publish(actor=cast.owner, offer=made)
    made.refresh_from_db()
    assert made.is_published


def test_anonymous_visitor_cannot_give_advice(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(PermissionDenied):
        services.advice_give(actor=cast.anonymous, offer=made, text="Hello")
    assert not Advice.objects.exists()


def test_empty_advice_is_refused(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(ValidationError, match="Write your advice"):
        services.advice_give(actor=cast.outsider, offer=made, text="   ")


def test_retiring_takes_the_offer_out_and_publishing_again_brings_it_back(cast):
    made = published_offer(cast.team, cast.owner)
    services.offer_retire(actor=cast.owner, offer=made)
    made.refresh_from_db()
    assert made.state == Offer.State.RETIRED and made.retired_at
    services.offer_update(actor=cast.owner, offer=made, availability="Again, from May.")
    services.offer_publish(actor=cast.owner, offer=made)
    made.refresh_from_db()
    assert made.state == Offer.State.PUBLISHED and made.retired_at is None


def test_a_draft_cannot_be_retired(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(ValidationError, match="Only a published offer"):
        services.offer_retire(actor=cast.owner, offer=made)


def test_member_of_other_team_cannot_retire(cast):
    made = published_offer(cast.team, cast.owner)
    with pytest.raises(PermissionDenied):
        services.offer_retire(actor=cast.outsider, offer=made)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "x" * 121}, "name", "at most 120"),
        ({"need": "x" * 2001}, "need", "2000 characters"),
        ({"summary": ""}, "summary", "cannot be blank"),
        ({"price": Decimal("-1")}, "price", "greater than or equal to 0"),
        ({"currency": "E1"}, "currency", "three-letter"),
        (
            {"price_breakdown": "Mechanic's time twelve"},
            "price_breakdown",
            "Line 1 should read",
        ),
        (
            {"price_breakdown": "Time: 10\nRent: 3"},
            "price_breakdown",
            "add up to 13.00, but the price is 15.00",
        ),
    ],
)
def test_bad_canvas_is_refused_and_nothing_is_saved(cast, changes, field, message):
    with pytest.raises(ValidationError) as caught:
        offer(cast.team, cast.owner, **changes)
    assert field in caught.value.message_dict
    assert any(message in text for text in caught.value.message_dict[field])
    assert not Offer.objects.exists() and not OfferVersion.objects.exists()


def test_a_breakdown_that_adds_up_is_kept(cast):
    made = offer(cast.team, cast.owner, price_breakdown="Time: 12\nRent and tools: 3")
    assert made.latest_version.breakdown_lines == [
        ("Time", "12"),
        ("Rent and tools", "3"),
    ]


def test_bad_edit_leaves_the_draft_as_it_was(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(ValidationError):
        services.offer_update(actor=cast.owner, offer=made, name="", need="Changed")
    assert made.latest_version.need == canvas()["need"]


def test_picture_is_re_encoded_and_added_to_the_draft(cast):
    made = offer(cast.team, cast.owner)
    image = services.offer_image_add(
        actor=cast.owner,
        offer=made,
        image=picture(size=(1700, 850)),
        alt_text="A blue city bike",
    )
    assert image.file.name.endswith(".webp")
    assert (image.width, image.height) == (1600, 800)
    assert image.version == made.working_version


def test_file_that_is_not_a_picture_is_refused_with_a_clear_message(cast):
    made = offer(cast.team, cast.owner)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("bike.png", b"<?php echo 'hi'; ?>", "image/png")
    with pytest.raises(ValidationError, match="not a picture we can read"):
        services.offer_image_add(actor=cast.owner, offer=made, image=fake, alt_text="x")
    assert not OfferImage.objects.exists()


def test_too_large_picture_is_refused_before_anything_is_saved(cast):
    made = offer(cast.team, cast.owner)
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.png", b"\0" * (IMAGE_MAX_BYTES + 1), "image/png")
    with pytest.raises(ValidationError, match="the limit is 5.0 MB"):
        services.offer_image_add(actor=cast.owner, offer=made, image=big, alt_text="x")
    assert not OfferImage.objects.exists()


def test_picture_needs_a_description(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(ValidationError, match="Describe what the picture shows"):
        services.offer_image_add(
            actor=cast.owner, offer=made, image=picture(), alt_text=" "
        )


def test_pictures_of_a_published_version_stay_when_the_draft_drops_them(cast):
    made = offer(cast.team, cast.owner)
    services.offer_image_add(
        actor=cast.owner, offer=made, image=picture(), alt_text="Front"
    )
    services.offer_publish(actor=cast.owner, offer=made)
    services.offer_image_remove(actor=cast.owner, offer=made, position=1)
    made.refresh_from_db()
    assert made.published_version.images.count() == 1
    assert made.working_version.images.count() == 0


def test_member_of_other_team_cannot_add_pictures(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(PermissionDenied):
        services.offer_image_add(
            actor=cast.outsider, offer=made, image=picture(), alt_text="x"
        )


def test_setting_a_draft_aside_keeps_the_published_version_and_the_advice(cast):
    made = published_offer(cast.team, cast.owner)
    services.offer_update(actor=cast.owner, offer=made, summary="A wrong turn")
    services.advice_give(actor=cast.outsider, offer=made, text="Not this way.")
    aside = services.offer_draft_discard(actor=cast.owner, offer=made)
    made.refresh_from_db()
    assert aside.status == OfferVersion.Status.DISCARDED
    assert made.working_version is None and made.is_published
    assert aside.advice.get().text == "Not this way."
    next_draft = services.offer_update(actor=cast.owner, offer=made, need="Better")
    assert next_draft.number == 3
    assert next_draft.summary == canvas()["summary"], "starts from the published words"


def test_a_first_draft_cannot_be_set_aside(cast):
    made = offer(cast.team, cast.owner)
    with pytest.raises(ValidationError, match="first draft"):
        services.offer_draft_discard(actor=cast.owner, offer=made)


def test_member_of_other_team_cannot_set_a_draft_aside(cast):
    made = published_offer(cast.team, cast.owner)
    services.offer_update(actor=cast.owner, offer=made, summary="Changed")
    with pytest.raises(PermissionDenied):
        services.offer_draft_discard(actor=cast.outsider, offer=made)
