"""The review pipeline's budgets: how long a text it takes, and for how long."""

from __future__ import annotations

import dataclasses
import re

import pytest

from purposeful.lens import MAX_TEXT_CHARS, Lens, LensConfig, ReviewLimitError


class _CountingPattern:
    """A compiled pattern that counts how often it reads the text."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.reads = 0

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        self.reads += 1
        return self.pattern.search(text, *args)

    def finditer(self, text: str, *args: int):
        self.reads += 1
        return self.pattern.finditer(text, *args)


def test_evidence_for_claims_is_read_once_per_sentence_not_once_per_claim():
    """A sentence of 2,000 claims was read whole for each one: quadratic."""
    lens = Lens(LensConfig(classifier=False))
    greenwash = lens.categories["claims.greenwash"]
    assert greenwash.unless is not None
    counting = _CountingPattern(greenwash.unless)
    lens.categories = {
        **lens.categories,
        greenwash.id: dataclasses.replace(greenwash, unless=counting),  # type: ignore[arg-type]
    }
    review = lens.review("eco-friendly " * 2_000)
    assert len(review.findings) > 1_000
    assert counting.reads <= 2


def test_evidence_elsewhere_in_the_sentence_still_substantiates_a_claim(rules_only):
    text = "Eco-friendly, eco-friendly: EU Ecolabel certified. Eco-friendly!"
    assert [f.start for f in rules_only.review(text).findings] == [text.rindex("Eco")]


def test_a_text_longer_than_the_limit_is_refused_with_a_plain_message(rules_only):
    with pytest.raises(ReviewLimitError, match="characters long") as caught:
        rules_only.review_many(["We bake bread.", "a" * (MAX_TEXT_CHARS + 1)])
    assert caught.value.index == 1
    assert f"{MAX_TEXT_CHARS:,}" in str(caught.value)


def test_a_review_over_its_time_budget_stops_with_a_plain_message(rules_only):
    with pytest.raises(ReviewLimitError, match="longer than its budget of 0 s"):
        rules_only.review("Only 3 left! " * 100, time_limit=0)


def test_a_review_within_its_time_budget_is_unchanged(rules_only):
    text = "Only 3 left! Hurry, offer ends tonight."
    assert rules_only.review(text, time_limit=60) == rules_only.review(text)


def test_a_finding_that_ends_on_a_character_reference_covers_all_of_it():
    lens = Lens(LensConfig(classifier=False))
    text = "<p>Fish &amp; chips at the #1 caf&eacute;</p>"
    [finding] = lens.review(text, markup="html").findings
    assert finding.text == "#1 caf&eacute;"
    assert text[finding.start : finding.end] == finding.text
