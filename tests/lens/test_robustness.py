"""Odd input never breaks the lens, and every position it reports is right."""

from __future__ import annotations

import random

import pytest

from purposeful.lens import review_many

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


# What each rule finds in PIECES, written out: a finding whose offsets slip by a
# character, or point into the masked text instead of the original, reads as
# something else.
RULE_PHRASES = {
    "Only 3 left", "3 left!", "Hurry", "offer ends tonight", "eco-friendly", "#1 brand",
    "12:00:00", "No thanks, I prefer paying", "I prefer paying full price",
    "Someone in Oslo just bought",
}  # fmt: skip
_PUNCTUATION = ".!?;:,"
PIECE_ENDS = tuple({p.strip().rstrip(_PUNCTUATION) for p in PIECES} - {""})


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    # Counted here, not with the lens's LineIndex, so that a wrong index fails.
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


@pytest.mark.parametrize("markup", ["text", "markdown", "html"])
def test_random_mixtures_never_fail_and_positions_point_at_the_text(markup):
    texts = _random_texts(seed=len(markup), count=300)
    seen = 0
    for text, review in zip(texts, review_many(texts, markup=markup), strict=True):
        for f in [*review.findings, *(s.finding for s in review.suppressed)]:
            seen += 1
            assert 0 <= f.start < f.end <= len(text)
            found = text[f.start : f.end]
            if f.source == "rule":
                assert found in RULE_PHRASES, (f.id, found, text)
            else:
                # a classifier finding is a whole sentence, ending where a piece
                # does (its closing punctuation may be left out)
                assert found == found.strip(), found
                assert found.rstrip(_PUNCTUATION).endswith(PIECE_ENDS), found
            assert f.text == found
            assert (f.line, f.column) == _line_and_column(text, f.start), (f, text)
    assert seen > 300  # the mixtures hold findings to check


def test_very_long_single_line_is_reviewed():
    text = "We bake bread. " * 20_000 + "Only 3 left!"
    [review] = review_many([text])
    assert [f.text for f in review.findings] == ["Only 3 left"]
    assert review.findings[0].column == len(text) - len("Only 3 left!") + 1
