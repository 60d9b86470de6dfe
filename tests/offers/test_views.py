"""The guided canvas pages: bad input re-renders with every answer kept."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.offers import services
from purposeful.offers.models import IMAGE_MAX_BYTES, Offer, OfferImage
from tests.offers.factories import CANVAS, offer, picture, published_offer


@pytest.fixture
def owner_client(cast):
    client = Client()
    client.force_login(cast.owner)
    return client


def _form(cast, **changes):
    return {**CANVAS, "team": cast.team.pk, "currency": "EUR", **changes}


def test_guided_form_asks_the_inside_out_questions_with_examples(owner_client):
    page = owner_client.get("/offers/new/").content.decode()
    assert "What genuine need does it fill?" in page
    assert "What is not good yet? Be honest about its limits." in page
    assert "<summary>See an example</summary>" in page
    assert "<legend>Honest limits</legend>" in page


def test_member_drafts_an_offer_with_the_guided_form(cast, owner_client):
    response = owner_client.post("/offers/new/", _form(cast))
    made = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/offers/{made.slug}/canvas/"
    assert made.team == cast.team and made.state == Offer.State.DRAFT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price": "fifteen"}, "Write the price as a number, like 45 or 12.50."),
        ({"price": "-3"}, "A price cannot be negative."),
        ({"price": "12.345"}, "Use at most two decimals"),
        ({"need": "x" * 2001}, "at most 2000 characters"),
        ({"name": "x" * 121}, "at most 120 characters"),
        (
            {"price_breakdown": "Time: 10\nRent: 1"},
            "The parts add up to 11.00, but the price is 15.00.",
        ),
    ],
)
def test_bad_input_re_renders_with_a_clear_message_and_keeps_every_answer(
    cast, owner_client, changes, message
):
    response = owner_client.post("/offers/new/", _form(cast, **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert CANVAS["proud_of"] in page, "answers are kept"
    assert "nothing you wrote is lost" in page
    assert not Offer.objects.exists()


def test_editing_a_published_offer_says_it_starts_a_new_version(cast, owner_client):
    made = published_offer(cast.team, cast.owner)
    page = owner_client.get(f"/offers/{made.slug}/canvas/edit/").content.decode()
    assert "Your changes become a new draft version" in page
    response = owner_client.post(
        f"/offers/{made.slug}/canvas/edit/",
        {**CANVAS, "currency": "EUR", "summary": "Now with a written list."},
    )
    assert response.status_code == 302
    assert made.versions.count() == 2


def test_history_shows_every_version_with_a_readable_diff(cast, owner_client):
    made = published_offer(cast.team, cast.owner)
    services.offer_update(
        actor=cast.owner,
        offer=made,
        summary="We look your bike over and explain it all.",
        change_note="Shorter",
    )
    page = owner_client.get(f"/offers/{made.slug}/history/").content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "Changes from version 1" in page
    assert '<ins><span class="visually-hidden">[added: </span>explain' in page
    assert '<del><span class="visually-hidden">[removed: </span>tell' in page
    assert "Shorter" in page


def test_canvas_shows_the_lens_findings_beside_the_draft(cast, owner_client):
    made = offer(
        cast.team,
        cast.owner,
        best_we_can="Only 3 left — order now before it's too late!",
    )
    page = owner_client.get(f"/offers/{made.slug}/canvas/").content.decode()
    assert "What the lens sees" in page
    assert "The best we can do at this moment</strong>" in page


def test_asking_advice_without_choosing_anyone_explains_itself(cast, owner_client):
    made = offer(cast.team, cast.owner)
    response = owner_client.post(f"/offers/{made.slug}/advice/ask/", {"message": "?"})
    assert response.status_code == 200
    assert "Choose at least one colleague or team to ask." in response.content.decode()


def test_advice_asked_of_a_member_shows_on_their_offers_page(cast, owner_client):
    made = offer(cast.team, cast.owner)
    owner_client.post(
        f"/offers/{made.slug}/advice/ask/",
        {"members": [cast.outsider.pk], "message": "Is the price clear?"},
    )
    colleague = Client()
    colleague.force_login(cast.outsider)
    page = colleague.get("/offers/ours/").content.decode()
    assert "Colleagues ask for your advice" in page
    assert "Is the price clear?" in page


def test_colleague_answers_in_the_thread_on_the_draft(cast, owner_client):
    made = offer(cast.team, cast.owner)
    colleague = Client()
    colleague.force_login(cast.outsider)
    response = colleague.post(
        f"/offers/{made.slug}/advice/", {"text": "Say how long it takes."}
    )
    assert response.status_code == 302
    page = owner_client.get(f"/offers/{made.slug}/canvas/").content.decode()
    assert "Say how long it takes." in page and "Outsider" in page


def test_member_visiting_an_unpublished_offer_page_is_taken_to_the_canvas(
    cast, owner_client
):
    made = offer(cast.team, cast.owner)
    response = owner_client.get(f"/offers/{made.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"/offers/{made.slug}/canvas/"


def test_publishing_from_the_canvas_shows_the_public_page(cast, owner_client):
    made = offer(cast.team, cast.owner)
    response = owner_client.post(
        f"/offers/{made.slug}/publish/", {"change_note": "First"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/offers/{made.slug}/"
    assert "Version 1 is published" in response.content.decode()


def test_uploading_a_file_that_is_not_a_picture_shows_why(cast, owner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = offer(cast.team, cast.owner)
    response = owner_client.post(
        f"/offers/{made.slug}/pictures/",
        {
            "image": SimpleUploadedFile("bike.jpg", b"not really", "image/jpeg"),
            "alt_text": "A bike",
        },
    )
    assert response.status_code == 200
    assert "This file is not a picture we can read." in response.content.decode()
    assert not OfferImage.objects.exists()


def test_uploading_a_too_large_picture_shows_the_limit(cast, owner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = offer(cast.team, cast.owner)
    big = SimpleUploadedFile("big.png", b"\0" * (IMAGE_MAX_BYTES + 1024), "image/png")
    response = owner_client.post(
        f"/offers/{made.slug}/pictures/", {"image": big, "alt_text": "A bike"}
    )
    assert "the limit is 5.0 MB" in response.content.decode()
    assert not OfferImage.objects.exists()


def test_uploading_a_picture_adds_it_to_the_draft(cast, owner_client):
    made = offer(cast.team, cast.owner)
    response = owner_client.post(
        f"/offers/{made.slug}/pictures/", {"image": picture(), "alt_text": "A bike"}
    )
    assert response.status_code == 302
    assert OfferImage.objects.get().alt_text == "A bike"


def test_member_without_a_team_is_sent_to_find_one(cast):
    client = Client()
    client.force_login(cast.steward)
    response = client.get("/offers/new/")
    assert response.status_code == 403
    assert b"join a team to draft one" in response.content
    assert b'href="/teams/"' in response.content


def test_start_page_tells_a_member_their_advice_is_asked(cast):
    made = offer(cast.team, cast.owner, name="Wheel rebuild")
    services.offer_ask_advice(actor=cast.owner, offer=made, teams=[cast.other_team])
    colleague = Client()
    colleague.force_login(cast.outsider)
    page = colleague.get("/start/").content.decode()
    assert "Colleagues ask for your advice" in page
    assert "Owner asked the Learning Lab team" in page


def test_team_sets_a_draft_aside_from_the_canvas_and_history_keeps_it(
    cast, owner_client
):
    made = published_offer(cast.team, cast.owner)
    services.offer_update(actor=cast.owner, offer=made, summary="A wrong turn")
    response = owner_client.post(f"/offers/{made.slug}/discard/", follow=True)
    assert "Draft version 2 is set aside" in response.content.decode()
    history = owner_client.get(f"/offers/{made.slug}/history/").content.decode()
    assert "Set aside" in history and "A wrong turn" in history
    public = Client().get(f"/offers/{made.slug}/").content.decode()
    assert "A wrong turn" not in public


def test_answered_requests_leave_the_start_page(cast):
    made = offer(cast.team, cast.owner, name="Wheel rebuild")
    services.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
    services.advice_give(actor=cast.outsider, offer=made, text="Looks good.")
    colleague = Client()
    colleague.force_login(cast.outsider)
    assert (
        "Colleagues ask for your advice"
        not in colleague.get("/start/").content.decode()
    )
