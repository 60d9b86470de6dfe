"""The word-by-word difference between two texts (no database needed)."""

from __future__ import annotations

from purposeful.offers.diff import Segment, text_diff


def test_unchanged_text_is_one_kept_run():
    assert text_diff("Fair price.", "Fair price.") == [Segment("same", "Fair price.")]


def test_a_replaced_word_shows_as_removed_then_added():
    assert text_diff("a fair price", "a good price") == [
        Segment("same", "a "),
        Segment("removed", "fair "),
        Segment("added", "good "),
        Segment("same", "price"),
    ]


def test_a_rewritten_sentence_is_one_removed_and_one_added_run():
    assert text_diff("We fix bikes.", "A wrong turn") == [
        Segment("removed", "We fix bikes."),
        Segment("added", "A wrong turn"),
    ]


def test_text_from_nothing_is_all_added():
    assert text_diff("", "New offer") == [Segment("added", "New offer")]


def test_joining_the_runs_gives_back_both_texts():
    old, new = "We check brakes\nand gears.", "We check brakes, gears\nand lights."
    segments = text_diff(old, new)
    assert "".join(s.text for s in segments if s.kind != "added") == old
    assert "".join(s.text for s in segments if s.kind != "removed") == new
