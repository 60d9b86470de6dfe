"""Odd input never breaks the lens, and every position it reports is right."""

from __future__ import annotations

import random

import pytest

from purposeful.lens import review_many
from purposeful.lens._text import LineIndex

PIECES = [
    "Only 3 left! ", "Hurry, offer ends tonight. ", "We bake bread. ", "eco-friendly ",
    "<p>", "</p>", "<b>", "</b>", "&nbsp;", "&amp;", "&#x1F600;", "&#99999999;", "<!-- ",
    " -->", "```\n", "`code` ", "[link](http://x) ", "# ", "\n", "\n\n", "\t", "é", "ß",
    "İ", "😀", "\u200b", "\x00", "<script>", "</script>", "lens: ignore ", "<!-- lens: off -->",
    "# lens: ignore manipulation.urgency\n", "12:00:00 ", "#1 brand ", "---\n", "    code\n",
    "No thanks, I prefer paying full price. ", "Someone in Oslo just bought this. ",
]  # fmt: skip


def _random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(PIECES, k=rng.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize("markup", ["text", "markdown", "html"])
def test_random_mixtures_never_fail_and_positions_point_at_the_text(markup):
    texts = _random_texts(seed=len(markup), count=300)
    for text, review in zip(texts, review_many(texts, markup=markup), strict=True):
        index = LineIndex(text)
        for f in [*review.findings, *(s.finding for s in review.suppressed)]:
            assert 0 <= f.start < f.end <= len(text)
            assert text[f.start : f.end] == f.text
            assert (f.line, f.column) == index.position(f.start)


def test_very_long_single_line_is_reviewed():
    text = "We bake bread. " * 20_000 + "Only 3 left!"
    [review] = review_many([text])
    assert [f.text for f in review.findings] == ["Only 3 left"]
    assert review.findings[0].column == len(text) - len("Only 3 left!") + 1
