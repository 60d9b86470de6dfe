"""The JSON API: messages, the lens for any text, lens settings and site reviews."""

from __future__ import annotations

import tomllib

import pytest
from django.test import Client

from purposeful.outreach import services
from purposeful.outreach.models import Message, SiteReview
from tests.api_shapes import output_schema, shape
from tests.outreach.factories import PURPOSE_LED, URGENT_FEAR


def test_lens_review_answers_findings_for_any_text(cast, api):
    response = api(cast.outsider).post(
        "/lens/review", {"text": URGENT_FEAR, "markup": "text"}
    )
    assert response.status_code == 200
    data = response.json()
    ids = {f["id"] for f in data["findings"]}
    assert {"manipulation.urgency", "manipulation.fear"} <= ids
    assert data["findings"][0]["category"]
    assert data["counts"]["manipulation.fear"] >= 1
    method = data["alignment_method"]
    assert method == "lexical" or method.startswith("semantic:")


def test_lens_review_needs_authentication(cast, api):
    response = api(None).post("/lens/review", {"text": URGENT_FEAR})
    assert response.status_code == 401


def test_lens_review_rejects_unknown_markup(cast, api):
    response = api(cast.owner).post("/lens/review", {"text": "hi", "markup": "pdf"})
    assert response.status_code == 400
    assert "detail" in response.json()


def test_message_life_through_the_api(cast, api):
    client = api(cast.owner)
    created = client.post(
        "/messages",
        {
            "team": cast.team.slug,
            "title": "Spring",
            "body": PURPOSE_LED,
            "channel": "social",
        },
    )
    assert created.status_code == 201
    message_id = created.json()["id"]
    assert (
        client.patch(f"/messages/{message_id}", {"body": URGENT_FEAR}).json()["body"]
        == URGENT_FEAR
    )
    versions = client.get(f"/messages/{message_id}/versions").json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["counts"]["manipulation.urgency"] >= 1
    assert (
        client.get(f"/messages/{message_id}/review").json()["counts"][
            "manipulation.fear"
        ]
        >= 1
    )
    assert (
        client.post(f"/messages/{message_id}/ask-advice", {"note": "Tone?"}).json()[
            "state"
        ]
        == "advice"
    )
    advice = api(cast.outsider).post(
        f"/messages/{message_id}/advice", {"text": "Calmer, please."}
    )
    assert advice.status_code == 201
    client.patch(f"/messages/{message_id}", {"body": PURPOSE_LED})
    assert client.post(f"/messages/{message_id}/ready").json()["state"] == "ready"
    published = client.post(f"/messages/{message_id}/publish", {"where": "Mastodon"})
    assert published.json()["state"] == "published"
    assert published.json()["published_where"] == "Mastodon"


def test_outsider_cannot_change_a_message_through_the_api(cast, api):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=PURPOSE_LED
    )
    response = api(cast.outsider).patch(f"/messages/{message.pk}", {"body": "Mine now"})
    assert response.status_code == 403
    assert "Workshop" in response.json()["error"]
    message.refresh_from_db()
    assert message.body == PURPOSE_LED


def test_invalid_transition_is_a_400_with_detail(cast, api):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body=PURPOSE_LED
    )
    response = api(cast.owner).post(f"/messages/{message.pk}/ready")
    assert response.status_code == 400
    assert "advice" in str(response.json()["detail"])


def test_unknown_offer_slug_is_a_400(cast, api):
    response = api(cast.owner).post(
        "/messages",
        {"team": cast.team.slug, "title": "t", "body": "b", "offers": ["nope"]},
    )
    assert response.status_code == 400
    assert "nope" in str(response.json()["detail"])
    assert not Message.objects.exists()


def test_messages_link_to_offers(cast, api):
    offer = cast.offer
    response = api(cast.owner).post(
        "/messages",
        {
            "team": cast.team.slug,
            "title": "t",
            "body": PURPOSE_LED,
            "offers": [offer.slug],
        },
    )
    assert response.json()["offers"] == [offer.slug]


def test_deleting_a_draft_answers_204(cast, api):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="t", body="b"
    )
    assert api(cast.owner).delete(f"/messages/{message.pk}").status_code == 204
    assert not Message.objects.exists()


def test_lens_settings_patch_is_for_stewards(cast, api):
    assert (
        api(cast.owner)
        .patch("/lens/settings", {"competitors": ["MegaBikes"]})
        .status_code
        == 403
    )
    response = api(cast.steward).patch(
        "/lens/settings",
        {
            "competitors": ["MegaBikes"],
            "claims": [{"text": "carbon neutral", "evidence": "https://x.example/e"}],
        },
    )
    assert response.status_code == 200
    data = api(cast.owner).get("/lens/settings").json()
    assert data["competitors"] == ["MegaBikes"]
    assert tomllib.loads(data["config_toml"])["lens"]["competitors"] == ["MegaBikes"]


def test_lens_settings_patch_rejects_a_bad_grade(cast, api):
    response = api(cast.steward).patch(
        "/lens/settings", {"grades": {"manipulation.fear": "loud"}}
    )
    assert response.status_code == 400


def test_site_review_upload_through_the_api(cast, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from purposeful.people.services import token_create

    _, token = token_create(actor=cast.owner, member=cast.owner, name="ci")
    client = Client(headers={"Authorization": f"Bearer {token}"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/site-reviews",
            {
                "name": "CI",
                "files": [
                    SimpleUploadedFile("index.md", b"Only 3 left, selling fast!")
                ],
            },
        )
    assert response.status_code == 201, response.content
    review = SiteReview.objects.get()
    report = client.get(f"/api/v1/site-reviews/{review.pk}").json()
    assert report["state"] == "done"
    assert report["counts"]["manipulation.scarcity"] >= 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 201), ("outsider", 403), ("steward", 403)],
)
def test_api_message_create_matrix(cast, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).post(
        "/messages", {"team": cast.team.slug, "title": "t", "body": "b"}
    )
    assert response.status_code == status
    assert Message.objects.exists() is (status == 201)


def _count_reviews(monkeypatch) -> list[str]:
    from purposeful.outreach import lens_service

    calls: list[str] = []
    review_text = lens_service.review_text

    def counting(text, **kwargs):
        calls.append(text)
        return review_text(text, **kwargs)

    monkeypatch.setattr(lens_service, "review_text", counting)
    return calls


def test_a_messages_review_is_read_as_stored_not_reviewed_again(cast, api, monkeypatch):
    message = services.message_create(
        actor=cast.owner, team=cast.team, title="Spring", body=URGENT_FEAR
    )
    calls = _count_reviews(monkeypatch)
    response = api(cast.outsider).get(f"/messages/{message.pk}/review")
    assert response.status_code == 200
    assert response.json()["counts"] == message.latest_version.category_counts
    assert calls == []


def test_lens_review_over_the_time_budget_answers_422_with_a_plain_message(
    cast, api, monkeypatch
):
    from purposeful.outreach import lens_service

    monkeypatch.setattr(lens_service, "REVIEW_TIME_LIMIT", 0.0)
    response = api(cast.owner).post("/lens/review", {"text": URGENT_FEAR})
    assert response.status_code == 422
    assert "longer than its budget" in response.json()["error"]


def test_a_site_review_keeps_its_fields_now_read_from_the_model(cast, api):
    """Clients see the same keys, types and nulls; the name's limit is the model's."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(cast.owner)
    created = client.client.post(
        "/api/v1/site-reviews",
        {"name": "CI", "files": [SimpleUploadedFile("index.md", b"Hello.")]},
        headers=client.headers,
    )
    review_shape = {
        "id": "int",
        "name": "str",
        "state": "str",
        "pages_total": "int",
        "pages_done": "int",
        "percent": "int",
        "created_at": "str",
        "finished_at": "null",
    }
    assert shape(created.json()) == review_shape
    assert shape(client.get("/site-reviews").json()["items"]) == [review_shape]
    name = SiteReview._meta.get_field("name")
    assert output_schema("SiteReviewOut")["properties"]["name"]["maxLength"] == (
        name.max_length
    )


MESSAGE_SHAPE = {
    "id": "int",
    "team": "str",
    "title": "str",
    "channel": "str",
    "audience": "str",
    "body": "str",
    "state": "str",
    "advice_note": "str",
    "offers": ["str"],
    "published_at": "null",
    "published_where": "str",
    "created_by": "str",
    "created_at": "str",
    "updated_at": "str",
    "versions": "int",
    "version": "str",
}


def test_messages_and_their_versions_keep_their_fields_now_read_from_the_model(
    cast, api
):
    """Clients see the same keys, types and nulls; the title's limit is the model's."""
    client = api(cast.owner)
    new = {
        "team": cast.team.slug,
        "title": "Spring",
        "body": PURPOSE_LED,
        "offers": [cast.offer.slug],
    }
    created = client.post("/messages", new).json()
    assert shape(created) == MESSAGE_SHAPE
    assert shape(client.get(f"/messages/{created['id']}").json()) == MESSAGE_SHAPE
    changed = client.patch(f"/messages/{created['id']}", {"title": "Summer"}).json()
    assert shape(changed) == MESSAGE_SHAPE
    assert changed["versions"] == 2
    listed = client.get("/messages").json()["items"]
    assert shape(listed) == [MESSAGE_SHAPE]
    assert listed[0]["offers"] == [cast.offer.slug]
    versions = client.get(f"/messages/{created['id']}/versions").json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    version = shape(versions[0])
    assert {key: value for key, value in version.items() if key != "counts"} == {
        "number": "int",
        "title": "str",
        "body": "str",
        "author": "str",
        "created_at": "str",
        "purpose_alignment": version["purpose_alignment"],
        "alignment_method": "str",
    }
    assert version["purpose_alignment"] in ("float", "int", "null")
    assert isinstance(versions[0]["counts"], dict)
    title = Message._meta.get_field("title")
    assert output_schema("MessageOut")["properties"]["title"]["maxLength"] == (
        title.max_length
    )
    assert output_schema("VersionOut")["properties"]["title"]["maxLength"] == (
        title.max_length
    )


def test_lens_settings_keep_their_fields_now_read_from_the_model(cast, api):
    """Clients see the same keys, types and values as from the hand-written answer."""
    client = api(cast.steward)
    changed = client.patch(
        "/lens/settings",
        {
            "competitors": ["MegaBikes", "Fast Wheels"],
            "allies": ["Pedal Post"],
            "grades": {"manipulation.fear": "off"},
            "claims": [
                {"text": "zero waste", "evidence": "https://x.example/w"},
                {"text": "carbon neutral", "evidence": "https://x.example/c"},
            ],
        },
    ).json()
    assert shape(changed) == {
        "competitors": ["str", "str"],
        "allies": ["str"],
        "grades": {"manipulation.fear": "str"},
        "errors_block_publishing": "bool",
        "claims": [{"text": "str", "evidence": "str"}] * 2,
        "config_toml": "str",
    }
    assert changed["competitors"] == ["MegaBikes", "Fast Wheels"]
    assert [c["text"] for c in changed["claims"]] == ["carbon neutral", "zero waste"]
    assert tomllib.loads(changed["config_toml"])["lens"]["allies"][0] == "Pedal Post"
    assert api(cast.owner).get("/lens/settings").json() == changed
