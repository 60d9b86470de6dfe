"""The lens hook: findings on the draft's public words, or a note when there is no lens."""

from __future__ import annotations

import sys

import pytest

from purposeful.offers.lens import offer_review
from purposeful.offers.models import OfferVersion
from tests.offers.factories import CANVAS

# the organisation's lens reads its settings
pytestmark = pytest.mark.django_db


def _version(**changes) -> OfferVersion:
    return OfferVersion(**{**CANVAS, **changes})


def test_findings_name_the_field_they_are_in():
    review = offer_review(_version(best_we_can="Only 3 left, order now!"))
    assert review["available"] is True
    assert any(
        f["id"] == "manipulation.scarcity" and f["field"] == "best_we_can"
        for f in review["findings"]
    )
    finding = review["findings"][0]
    assert set(finding) >= {"id", "severity", "message", "start", "end", "text"}
    assert "suggestion" in finding


def test_plain_honest_words_give_no_findings():
    review = offer_review(_version())
    assert review == {
        "available": True,
        "note": "The lens found nothing that manipulates, attacks others or over-claims.",
        "findings": [],
    }


def test_without_the_lens_the_review_is_empty_with_a_note(monkeypatch):
    monkeypatch.setitem(sys.modules, "purposeful.lens", None)
    monkeypatch.setitem(sys.modules, "purposeful.outreach.lens_service", None)
    review = offer_review(_version(best_we_can="Only 3 left, order now!"))
    assert review == {
        "available": False,
        "note": "lens not available",
        "findings": [],
    }
