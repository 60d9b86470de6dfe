"""The demo organisation's offers: every state, with advice threads."""

from __future__ import annotations

from collections import Counter

from purposeful import demo
from purposeful.offers import demo as offers_demo
from purposeful.offers.models import Advice, Offer, OfferImage


def test_demo_has_offers_in_every_state_with_advice(db, monkeypatch):
    # Only this part's loader: other parts have demo tests of their own.
    monkeypatch.setattr(demo, "_load_parts", offers_demo.load)
    demo.load(password="purposeful-demo")
    states = Counter(Offer.objects.values_list("state", flat=True))
    assert 5 <= sum(states.values()) <= 8
    assert set(states) == {"draft", "advice", "published", "retired"}
    assert Offer.objects.filter(versions__number=2).exists(), "an offer has a history"
    assert Advice.objects.count() >= 5
    assert OfferImage.objects.exists()
    for offer in Offer.objects.filter(state="published"):
        assert offer.published_version is not None
