"""An offer written with emoji and accents is published and read back as typed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from django.test import Client

from tests.offers.factories import published_offer

ATOM = "{http://www.w3.org/2005/Atom}"
EMOJI_NAME = "Vélo 🚲 check — “Zoë’s” 日本"
EMOJI_SUMMARY = "We true wheels 😀, fix brakes & say why: ß, İ, ❤️\u200d🔥."


def _jsonld(page: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found, "no JSON-LD on the page"
    return json.loads(found.group(1))


def test_an_offer_published_with_emoji_and_accents_reads_back_everywhere(cast):
    """The page, its JSON-LD, offers.json and the feed give the text as typed."""
    made = published_offer(
        cast.team, cast.owner, name=EMOJI_NAME, summary=EMOJI_SUMMARY
    )
    assert made.slug == "velo-check-zoes"
    page = Client().get(f"/offers/{made.slug}/")
    assert page["Content-Type"] == "text/html; charset=utf-8"
    html = page.content.decode("utf-8")
    assert EMOJI_NAME in html and EMOJI_SUMMARY.replace("&", "&amp;") in html
    data = _jsonld(html)
    assert (data["name"], data["description"]) == (EMOJI_NAME, EMOJI_SUMMARY)
    [listed] = Client().get("/offers.json").json()["offers"]
    assert (listed["name"], listed["summary"]) == (EMOJI_NAME, EMOJI_SUMMARY)
    root = ET.fromstring(Client().get("/offers/feed/").content)
    assert [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")] == [
        EMOJI_NAME
    ]


def test_a_name_of_emoji_only_gets_a_working_address(cast):
    made = published_offer(cast.team, cast.owner, name="🚲🚲")
    assert made.slug == "offer"
    page = Client().get(f"/offers/{made.slug}/").content.decode("utf-8")
    assert _jsonld(page)["name"] == "🚲🚲"
