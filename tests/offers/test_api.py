"""The offers API: drafting, advice, publishing and bad input, all as JSON."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.offers.models import IMAGE_MAX_BYTES, Offer, OfferImage
from purposeful.organisation.models import Ally
from purposeful.people.services import token_create
from tests.api_shapes import shape
from tests.offers.factories import CANVAS, offer, picture


def _payload(cast, **changes):
    return {**CANVAS, "price": "15.00", "team": cast.team.pk, **changes}


def test_member_drafts_asks_advice_and_publishes_through_the_api(cast, api):
    owner, colleague = api(cast.owner), api(cast.outsider)
    created = owner.post("/offers", _payload(cast))
    assert created.status_code == 201, created.content
    offer_id = created.json()["id"]
    assert created.json()["state"] == "draft"
    assert created.json()["draft"]["number"] == 1

    asked = owner.post(
        f"/offers/{offer_id}/advice/requests",
        {"members": ["outsider"], "message": "Clear enough?"},
    )
    assert asked.status_code == 201
    assert asked.json()[0]["member"] == "outsider"
    assert (
        colleague.post(f"/offers/{offer_id}/advice", {"text": "Yes."}).status_code
        == 201
    )

    published = owner.post(f"/offers/{offer_id}/publish", {"change_note": "First"})
    assert published.status_code == 200
    assert published.json()["state"] == "published"
    assert published.json()["published"]["number"] == 1
    thread = owner.get(f"/offers/{offer_id}/advice").json()
    assert [a["text"] for a in thread["advice"]] == ["Yes."]
    assert thread["advice"][0]["version"] == 1


def test_patching_a_published_offer_makes_a_new_draft_version(cast, api):
    made = offer(cast.team, cast.owner)
    client = api(cast.owner)
    client.post(f"/offers/{made.pk}/publish", {})
    changed = client.patch(f"/offers/{made.pk}", {"summary": "Shorter."}).json()
    assert changed["published"]["number"] == 1
    assert changed["draft"] == {**changed["draft"], "number": 2, "summary": "Shorter."}
    versions = client.get(f"/offers/{made.pk}/versions").json()["items"]
    assert [v["number"] for v in versions] == [2, 1]


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "x" * 121},
        {"need": "x" * 2001},
        {"price": "fifteen"},
        {"price": "-1"},
        {"price": "1.234"},
        {"currency": "EURO"},
    ],
)
def test_invalid_input_is_refused_as_json_and_nothing_is_saved(cast, api, changes):
    response = api(cast.owner).post("/offers", _payload(cast, **changes))
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    assert not Offer.objects.exists()


def test_breakdown_that_does_not_add_up_is_explained(cast, api):
    response = api(cast.owner).post(
        "/offers", _payload(cast, price_breakdown="Time: 10")
    )
    assert response.status_code == 400
    assert response.json()["detail"] == [
        {
            "field": "price_breakdown",
            "message": "The parts add up to 10.00, but the price is 15.00.",
        }
    ]


def test_unknown_team_or_colleague_is_a_clear_error(cast, api):
    assert api(cast.owner).post("/offers", _payload(cast, team=9999)).json() == {
        "error": "team: There is no team with this id.",
        "detail": [{"field": "team", "message": "There is no team with this id."}],
    }
    made = offer(cast.team, cast.owner)
    response = api(cast.owner).post(
        f"/offers/{made.pk}/advice/requests", {"members": ["nobody"]}
    )
    assert response.status_code == 400
    assert "nobody" in str(response.json()["detail"])


def _upload(cast, offer_id, file, alt="A bike"):
    _, raw = token_create(actor=cast.owner, member=cast.owner, name="upload")
    return Client().post(
        f"/api/v1/offers/{offer_id}/images",
        {"image": file, "alt_text": alt},
        headers={"Authorization": f"Bearer {raw}"},
    )


def test_pictures_upload_through_the_api(cast):
    made = offer(cast.team, cast.owner)
    response = _upload(cast, made.pk, picture(size=(64, 48)))
    assert response.status_code == 201, response.content
    assert response.json()["width"] == 64 and response.json()["alt"] == "A bike"


def test_api_refuses_non_pictures_and_oversized_files(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = offer(cast.team, cast.owner)
    fake = SimpleUploadedFile("x.png", b"GIF89a but not really", "image/png")
    response = _upload(cast, made.pk, fake)
    assert response.status_code == 400
    assert "not a picture we can read" in str(response.json()["detail"])
    big = SimpleUploadedFile("x.png", b"\0" * (IMAGE_MAX_BYTES + 1), "image/png")
    assert "the limit is 5.0 MB" in str(_upload(cast, made.pk, big).json()["detail"])
    assert not OfferImage.objects.exists()


def test_lens_review_of_the_draft_is_in_the_api(cast, api):
    made = offer(cast.team, cast.owner, best_we_can="Only 3 left, order now!")
    review = api(cast.outsider).get(f"/offers/{made.pk}/review").json()
    assert review["available"] is True
    assert {f["field"] for f in review["findings"]} == {"best_we_can"}


def test_offers_are_in_the_openapi_document(api):
    paths = api(None).get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/offers",
        "/api/v1/offers/{offer_id}",
        "/api/v1/offers/{offer_id}/versions",
        "/api/v1/offers/{offer_id}/advice",
        "/api/v1/offers/{offer_id}/advice/requests",
        "/api/v1/offers/{offer_id}/publish",
        "/api/v1/offers/{offer_id}/retire",
    ):
        assert path in paths, path


def test_draft_is_set_aside_through_the_api(cast, api):
    made = offer(cast.team, cast.owner)
    client = api(cast.owner)
    client.post(f"/offers/{made.pk}/publish", {})
    client.patch(f"/offers/{made.pk}", {"summary": "Wrong turn"})
    response = client.post(f"/offers/{made.pk}/discard", {})
    assert response.status_code == 200
    assert response.json()["draft"] is None
    assert api(cast.outsider).post(f"/offers/{made.pk}/discard", {}).status_code == 403
    again = client.post(f"/offers/{made.pk}/discard", {})
    assert again.status_code == 400
    assert again.json() == {
        "error": "There is no draft to set aside.",
        "detail": [{"field": None, "message": "There is no draft to set aside."}],
    }


VERSION_SHAPE = {
    "number": "int",
    "status": "str",
    "name": "str",
    "summary": "str",
    "need": "str",
    "purpose_fit": "str",
    "proud_of": "str",
    "not_good_yet": "str",
    "not_for": "str",
    "best_we_can": "str",
    "price": "str",
    "currency": "str",
    "price_unit": "str",
    "price_covers": "str",
    "price_breakdown": [{"part": "str", "amount": "str"}] * 2,
    "availability": "str",
    "allies": [{"id": "int", "name": "str", "website": "str"}],
    "images": [
        {"position": "int", "url": "str", "alt": "str", "width": "int", "height": "int"}
    ],
    "change_note": "str",
    "created_at": "str",
    "published_at": "null",
}
OFFER_SHAPE = {
    "id": "int",
    "slug": "str",
    "team": "int",
    "team_name": "str",
    "state": "str",
    "url": "str",
    "published": "null",
    "draft": VERSION_SHAPE,
    "version": "str",
}


def test_offers_versions_pictures_and_advice_keep_their_fields_read_from_the_model(
    cast, api
):
    """Clients see the same keys, types and nulls as before the schemas were built
    from the models, for members and for visitors."""
    ally = Ally.objects.create(name="Pedal Post", website="https://pedal.example")
    owner = api(cast.owner)
    created = owner.post(
        "/offers",
        _payload(cast, allies=[ally.pk], price_breakdown="Time: 10\nParts: 5"),
    )
    assert created.status_code == 201, created.content
    offer_id = created.json()["id"]
    assert _upload(cast, offer_id, picture()).status_code == 201
    draft = owner.get(f"/offers/{offer_id}").json()
    assert shape(draft) == OFFER_SHAPE
    assert draft["draft"]["price_breakdown"] == [
        {"part": "Time", "amount": "10"},
        {"part": "Parts", "amount": "5"},
    ]
    assert draft["draft"]["images"][0]["url"].startswith("http://testserver/")
    assert draft["url"] == "http://testserver" + Offer.objects.get().get_absolute_url()
    # ninja's own JSON encoder would write the price as "15.00" too; pinned here
    assert draft["draft"]["price"] == "15.00"

    asked = owner.post(
        f"/offers/{offer_id}/advice/requests",
        {"members": ["outsider"], "teams": [cast.other_team.slug], "message": "Clear?"},
    )
    request_shape = {
        "id": "int",
        "version": "int",
        "asked_by": "str",
        "member": "str",
        "team": "null",
        "message": "str",
        "created_at": "str",
    }
    assert sorted(shape(asked.json()), key=str) == sorted(
        [request_shape, {**request_shape, "member": "null", "team": "str"}], key=str
    )
    given = api(cast.outsider).post(f"/offers/{offer_id}/advice", {"text": "Yes."})
    advice_shape = {
        "id": "int",
        "version": "int",
        "author": "str",
        "text": "str",
        "created_at": "str",
    }
    assert shape(given.json()) == advice_shape
    thread = owner.get(f"/offers/{offer_id}/advice").json()
    assert shape(thread["advice"]) == [advice_shape]
    assert len(thread["requests"]) == 2

    published = owner.post(f"/offers/{offer_id}/publish", {}).json()
    published_version = {**VERSION_SHAPE, "published_at": "str"}
    assert shape(published) == {
        **OFFER_SHAPE,
        "published": published_version,
        "draft": "null",
    }
    visitor = api(None)
    seen = visitor.get(f"/offers/{offer_id}").json()
    assert shape(seen) == {
        **OFFER_SHAPE,
        "published": published_version,
        "draft": "null",
        "version": "null",
    }
    assert shape(visitor.get("/offers").json()["items"]) == [shape(seen)]
    versions = visitor.get(f"/offers/{offer_id}/versions").json()["items"]
    assert shape(versions) == [published_version]

    priceless = owner.patch(
        f"/offers/{offer_id}", {"price": None, "price_breakdown": "", "allies": []}
    ).json()
    assert shape(priceless["draft"]) == {
        **VERSION_SHAPE,
        "price": "null",
        "price_breakdown": [],
        "allies": [],
    }
