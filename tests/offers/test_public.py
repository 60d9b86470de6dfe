"""What visitors see: the published catalogue only — never drafts, advice or retired offers."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from purposeful.offers import services
from purposeful.offers.models import OfferImage
from tests.offers.factories import offer, picture, published_offer

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def shelf(cast):
    """One offer in each state, plus a published one with a newer draft."""
    draft = offer(cast.team, cast.owner, name="Secret draft")
    advice = offer(cast.team, cast.owner, name="Asking around")
    services.offer_ask_advice(actor=cast.owner, offer=advice, members=[cast.outsider])
    services.advice_give(actor=cast.outsider, offer=advice, text="Private thoughts")
    retired = published_offer(cast.team, cast.owner, name="Old course")
    services.offer_retire(actor=cast.owner, offer=retired)
    live = published_offer(cast.team, cast.owner, name="Wheel rebuild")
    services.offer_update(
        actor=cast.owner, offer=live, summary="Unpublished new wording"
    )
    return {"draft": draft, "advice": advice, "retired": retired, "live": live}


def test_catalogue_lists_only_published_offers(shelf):
    page = Client().get("/offers/").content.decode()
    assert "Wheel rebuild" in page
    for hidden in ("Secret draft", "Asking around", "Old course"):
        assert hidden not in page
    assert "Unpublished new wording" not in page


@pytest.mark.parametrize("state", ["draft", "advice", "retired"])
def test_guessing_the_address_of_a_hidden_offer_finds_nothing(shelf, state):
    slug = shelf[state].slug
    client = Client()
    assert client.get(f"/offers/{slug}/").status_code == 404
    for path in ("canvas/", "history/", "canvas/edit/"):
        response = client.get(f"/offers/{slug}/{path}")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_hidden_and_missing_offers_look_the_same_to_visitors(shelf):
    client = Client()
    hidden = client.get(f"/offers/{shelf['draft'].slug}/")
    missing = client.get("/offers/no-such-offer/")
    assert hidden.status_code == missing.status_code == 404
    assert b"Secret draft" not in hidden.content


def test_public_page_shows_the_latest_published_version_not_the_draft(shelf):
    page = Client().get(f"/offers/{shelf['live'].slug}/").content.decode()
    assert "Unpublished new wording" not in page
    assert "We look your bike over" in page


def test_public_page_links_to_the_team_feedback_form(shelf):
    page = Client().get(f"/offers/{shelf['live'].slug}/").content.decode()
    assert 'href="/write-to-us/?offer=wheel-rebuild"' in page
    assert "Made by the Workshop team" in page


def test_public_page_describes_itself_for_search_engines(shelf):
    page = Client().get(f"/offers/{shelf['live'].slug}/").content.decode()
    assert (
        '<meta name="description" content="We look your bike over and tell you '
        'what really needs doing.">' in page
    )
    assert "<h1>Wheel rebuild</h1>" in page


def _jsonld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found, "no JSON-LD on the page"
    return json.loads(found.group(1))


def test_public_page_carries_schema_org_product_and_offer(shelf):
    page = Client().get(f"/offers/{shelf['live'].slug}/").content.decode()
    data = _jsonld(page)
    assert data["@type"] == "Product" and data["name"] == "Wheel rebuild"
    assert data["offers"]["@type"] == "Offer"
    assert (data["offers"]["price"], data["offers"]["priceCurrency"]) == (
        "15.00",
        "EUR",
    )
    assert data["brand"]["name"] == "Test Cooperative"


def test_json_ld_cannot_break_out_of_its_script_element(cast):
    made = published_offer(
        cast.team, cast.owner, name="Bikes </script><script>alert(1)</script>"
    )
    page = Client().get(f"/offers/{made.slug}/").content.decode()
    assert "<script>alert(1)" not in page
    assert _jsonld(page)["name"] == "Bikes </script><script>alert(1)</script>"


def test_pictures_of_drafts_are_not_served_to_visitors(cast):
    made = offer(cast.team, cast.owner)
    image = services.offer_image_add(
        actor=cast.owner, offer=made, image=picture(), alt_text="A bike"
    )
    url = f"/offers/{made.slug}/pictures/{image.pk}.webp"
    assert Client().get(url).status_code == 404
    member = Client()
    member.force_login(cast.outsider)
    response = member.get(url)
    response.close()
    assert response.status_code == 200


def test_published_pictures_are_served_with_their_size_on_the_page(cast):
    made = offer(cast.team, cast.owner)
    services.offer_image_add(
        actor=cast.owner, offer=made, image=picture(size=(80, 60)), alt_text="A bike"
    )
    services.offer_publish(actor=cast.owner, offer=made)
    image = OfferImage.objects.get()
    page = Client().get(f"/offers/{made.slug}/").content.decode()
    assert 'alt="A bike" width="80" height="60"' in page
    response = Client().get(f"/offers/{made.slug}/pictures/{image.pk}.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    body = b"".join(response.streaming_content)
    response.close()
    assert body.startswith(b"RIFF")


def test_offers_json_holds_only_published_versions(shelf):
    data = Client().get("/offers.json").json()
    assert [o["name"] for o in data["offers"]] == ["Wheel rebuild"]
    assert data["offers"][0]["summary"] != "Unpublished new wording"
    assert data["offers"][0]["url"] == "http://testserver/offers/wheel-rebuild/"


def test_atom_feed_has_an_entry_per_published_version_of_live_offers(cast):
    made = published_offer(cast.team, cast.owner, name="Wheel rebuild")
    services.offer_update(actor=cast.owner, offer=made, summary="Now trued twice.")
    services.offer_publish(actor=cast.owner, offer=made, change_note="Second check")
    offer(cast.team, cast.owner, name="Secret draft")
    response = Client().get("/offers/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Wheel rebuild (changed)", "Wheel rebuild"]
    assert b"Secret draft" not in response.content
    assert b"Second check" in response.content


def test_api_lists_only_published_offers_to_visitors(shelf, api):
    data = api(None).get("/offers").json()["items"]
    assert [o["slug"] for o in data] == ["wheel-rebuild"]
    assert data[0]["draft"] is None
    assert data[0]["published"]["summary"] != "Unpublished new wording"
    assert api(None).get("/offers?state=draft").json()["items"] == []
    assert api(None).get("/offers?state=retired").json()["items"] == []


def test_api_filters_by_state_for_members(shelf, api, cast):
    client = api(cast.outsider)
    assert [o["slug"] for o in client.get("/offers?state=draft").json()["items"]] == [
        "secret-draft"
    ]
    assert [o["slug"] for o in client.get("/offers?state=advice").json()["items"]] == [
        "asking-around"
    ]
    live = client.get(f"/offers/{shelf['live'].pk}").json()
    assert live["draft"]["summary"] == "Unpublished new wording"
    assert client.get("/offers?state=nonsense").status_code == 400


@pytest.mark.parametrize("state", ["draft", "advice", "retired"])
def test_guessing_api_ids_of_hidden_offers_finds_nothing(shelf, api, state):
    hidden = shelf[state].pk
    client = api(None)
    assert client.get(f"/offers/{hidden}").status_code == 404
    assert client.get(f"/offers/{hidden}/versions").status_code == 404
    assert client.get(f"/offers/{hidden}/advice").status_code == 401
    assert client.get("/offers/999999").status_code == 404


def test_visitors_get_only_published_versions_from_the_api(shelf, api):
    versions = api(None).get(f"/offers/{shelf['live'].pk}/versions").json()["items"]
    assert [v["status"] for v in versions] == ["published"]


def test_advice_threads_are_never_public(shelf, api):
    assert api(None).get(f"/offers/{shelf['advice'].pk}/advice").status_code == 401
    for path in ("/offers/", "/offers.json", "/offers/feed/", "/"):
        assert b"Private thoughts" not in Client().get(path).content


def test_home_page_lists_published_offers(shelf):
    page = Client().get("/").content.decode()
    assert "What we offer" in page and "Wheel rebuild" in page
    assert "Secret draft" not in page


def test_advice_given_before_publishing_stays_off_the_public_page(cast):
    made = offer(cast.team, cast.owner, name="Wheel rebuild")
    services.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
    services.advice_give(actor=cast.outsider, offer=made, text="Private thoughts")
    services.offer_publish(actor=cast.owner, offer=made)
    page = Client().get("/offers/wheel-rebuild/?utm=x").content.decode()
    assert "Wheel rebuild" in page
    assert "Private thoughts" not in page and "Outsider" not in page
    assert (
        '<link rel="canonical" href="http://testserver/offers/wheel-rebuild/">' in page
    )


def test_pictures_of_retired_offers_are_not_served_to_visitors(cast):
    made = offer(cast.team, cast.owner)
    image = services.offer_image_add(
        actor=cast.owner, offer=made, image=picture(), alt_text="A bike"
    )
    services.offer_publish(actor=cast.owner, offer=made)
    services.offer_retire(actor=cast.owner, offer=made)
    response = Client().get(f"/offers/{made.slug}/pictures/{image.pk}.webp")
    assert response.status_code == 404
