"""Inline suppression: silenced findings are kept and reported, not lost."""

from __future__ import annotations

from purposeful.lens import review


def test_html_comment_silences_the_next_line_and_is_reported():
    text = "<!-- lens: ignore manipulation.scarcity -->\nOnly 2 left of the blue one.\n"
    result = review(text, markup="markdown")
    assert result.findings == []
    [suppressed] = result.suppressed
    assert suppressed.finding.id == "manipulation.scarcity"
    assert suppressed.reason == "inline"
    assert suppressed.directive_line == 1
    data = result.to_dict()["suppressed"][0]
    assert data["id"] == "manipulation.scarcity" and data["reason"] == "inline"


def test_plain_text_comment_line_silences_the_next_line():
    text = "# lens: ignore manipulation.urgency\n\nHurry, the bus leaves at 8.\nHurry!"
    result = review(text)
    assert [f.line for f in result.findings] == [4]
    assert [s.finding.line for s in result.suppressed] == [3]


def test_directive_only_silences_the_ids_it_names():
    text = "<!-- lens: ignore manipulation.urgency -->\nOnly 3 left, hurry!"
    result = review(text, markup="markdown")
    assert [f.id for f in result.findings] == ["manipulation.scarcity"]
    assert [s.finding.id for s in result.suppressed] == ["manipulation.urgency"]


def test_family_name_silences_every_category_of_the_family():
    text = "Only 3 left, hurry! [lens: ignore manipulation]"
    result = review(text)
    assert result.findings == []
    assert len(result.suppressed) == 2


def test_off_and_on_silence_a_block():
    text = "<!-- lens: off -->\nHurry!\n\nToday only.\n<!-- lens: on -->\nHurry!"
    result = review(text, markup="markdown")
    assert [f.line for f in result.findings] == [6]
    assert len(result.suppressed) == 2


def test_directive_words_are_not_reviewed_themselves():
    result = review("# lens: ignore manipulation.urgency\nWe bake bread.")
    assert result.findings == [] and result.suppressed == []
