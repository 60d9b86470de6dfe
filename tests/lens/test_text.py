"""Markdown and HTML: markup is skipped, and positions point into the original file."""

from __future__ import annotations

from purposeful.lens import review
from purposeful.lens._text import (
    LineIndex,
    find_directives,
    mask_html,
    mask_markdown,
    sentence_spans,
)

MARKDOWN = """---
title: Hurry, today only
---
# Our **winter** coats

Made in Porto. Only 3 left in your size!

```html
<p>Hurry! Offer ends tonight.</p>
```

Use `hurry()` in code, and see [the style guide](https://example.org/hurry).
    indented code: today only
"""

HTML = """<!doctype html>
<html><head><title>Shop</title>
<style>.hurry { color: red }</style>
<script>var hurry = "today only";</script></head>
<body>
  <p class="today-only">Warm coats. <b>Only&nbsp;3</b> left? No: <em>Only 3 left!</em></p>
  <!-- Hurry, today only -->
  <li>Selling fast</li><li>since 1990</li>
</body></html>
"""


def _positions(text, markup):
    return [
        (f.id, f.line, f.column, f.text) for f in review(text, markup=markup).findings
    ]


def test_masking_keeps_length_and_line_breaks():
    for masked, original in (
        (mask_markdown(MARKDOWN), MARKDOWN),
        (mask_html(HTML), HTML),
    ):
        assert len(masked) == len(original)
        # every line break survives (block tags may add boundaries, never remove)
        assert all(masked[i] == "\n" for i, c in enumerate(original) if c == "\n")


def test_markdown_front_matter_code_and_link_targets_are_not_reviewed():
    found = _positions(MARKDOWN, "markdown")
    assert found == [("manipulation.scarcity", 6, 16, "Only 3 left")]


def test_markdown_link_text_is_reviewed():
    text = "See [our offer, today only](https://example.org/a)."
    found = _positions(text, "markdown")
    assert found == [("manipulation.urgency", 1, 17, "today only")]


def test_html_tags_attributes_scripts_styles_and_comments_are_not_reviewed():
    found = _positions(HTML, "html")
    assert found == [
        # a phrase split by inline tags and entities is still found, in the source
        ("manipulation.scarcity", 6, 40, "Only&nbsp;3</b> left"),
        ("manipulation.scarcity", 6, 70, "Only 3 left"),
        ("manipulation.scarcity", 8, 7, "Selling fast"),
    ]


def test_html_entities_do_not_break_phrases_and_offsets_stay_in_the_source():
    text = "<p>Only&nbsp;3 left</p>"
    finding = review(text, markup="html").findings[0]
    assert finding.text == "Only&nbsp;3 left"
    assert text[finding.start : finding.end] == finding.text
    assert finding.column == 4


def test_html_block_tags_separate_sentences():
    masked = mask_html("<li>Selling fast</li><li>since 1990</li>")
    spans = sentence_spans(masked)
    assert len(spans) == 2


def test_sentence_spans_trim_whitespace():
    text = "  One. Two!  Three? \n\nFour"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "One.",
        "Two!",
        "Three?",
        "Four",
    ]


def test_line_index_is_one_based():
    index = LineIndex("ab\ncd\n\nef")
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 2)
    assert index.position(7) == (4, 1)


def test_directives_in_every_accepted_form():
    text = (
        "<!-- lens: ignore manipulation.scarcity -->\n"
        "# lens: ignore manipulation.urgency, claims\n"
        "Text [lens: ignore] more\n"
        "// lens: off\n"
        "; lens: on\n"
    )
    found = [(d.verb, d.ids, d.line) for d in find_directives(text)]
    assert found == [
        ("ignore", ("manipulation.scarcity",), 1),
        ("ignore", ("manipulation.urgency", "claims"), 2),
        ("ignore", (), 3),
        ("off", (), 4),
        ("on", (), 5),
    ]


def test_a_hash_heading_that_is_not_a_directive_is_ignored():
    assert find_directives("# lenses and more: a guide") == []


def test_html_entities_are_unescaped_at_their_first_position():
    """Named and numeric references read as html.unescape reads them, same length."""
    text = "<p>Caf&eacute; &amp; th&#233; &#x2014; &#8212; &bogus; &amp</p>"
    masked = mask_html(text)
    assert len(masked) == len(text)
    expected = {
        "&eacute;": "é",
        "&amp;": "&",
        "&#233;": "é",
        "&#x2014;": "—",
        "&#8212;": "—",
    }
    for reference, character in expected.items():
        at = text.index(reference)
        assert masked[at : at + len(reference)] == character.ljust(len(reference))
    # an unknown name stays as typed; a known one without ";" is still read
    assert masked.split() == ["Café", "&", "thé", "—", "—", "&bogus;", "&"]


def test_an_attribute_value_holding_a_greater_than_sign_leaks_nothing():
    text = '<a title="a>b" href="/x?y=1&amp;z=2">We bake</a> <img alt="x>Only 3 left">'
    assert mask_html(text).split() == ["We", "bake"]
    assert review(text, markup="html").findings == []


def test_comments_and_cdata_are_markup_even_holding_greater_than_signs():
    text = "<p>We bake.<!-- a > b, Hurry --><![CDATA[a > b, only 3 left]]> Bread.</p>"
    assert mask_html(text).split() == ["We", "bake.", "Bread."]


def test_unclosed_elements_and_tags():
    """An element never closed ends with the text; a "<" never closed by ">" is text."""
    text = '<div data-n="1>2"><p>Only 3 left<li>Ends <b>today'
    assert mask_html(text).split() == ["Only", "3", "left", "Ends", "today"]
    assert mask_html("Price <b and c").split() == ["Price", "<b", "and", "c"]
    assert mask_html("<p>We bake.<script>var s = '<p>Hurry'").split() == ["We", "bake."]
    assert mask_html("We bake.<!-- Hurry, today only").split() == ["We", "bake."]


def test_findings_after_entities_and_attributes_point_into_the_original():
    text = '<p title="a>b">\n  Caf&eacute; &amp; th&#233;: visit the #1 caf&eacute; for bread.</p>'
    [finding] = review(text, markup="html").findings
    assert finding.id == "competition.superiority"
    assert finding.start == text.index("#1")
    assert text[finding.start : finding.end].startswith("#1 caf")
    assert (finding.line, finding.column) == (2, text.index("#1") - text.index("\n"))
