"""The public API of purposeful.lens: what it exports and what a review carries."""

from __future__ import annotations

import inspect
import subprocess
import sys

import purposeful.lens as lens_api
from purposeful.lens import CATEGORY_IDS, Finding, Review, review, review_many

#: The finding ids configurations and suppressions already use: changing one breaks them.
PUBLIC_IDS = {
    "manipulation.fear",
    "manipulation.vanity",
    "manipulation.approval",
    "manipulation.success",
    "manipulation.artificial-need",
    "manipulation.urgency",
    "manipulation.scarcity",
    "manipulation.social-proof",
    "manipulation.confirmshaming",
    "competition.superiority",
    "claims.greenwash",
}


def test_public_api_is_pinned():
    assert sorted(lens_api.__all__) == sorted(
        [
            "CATEGORY_IDS",
            "MAX_TEXT_CHARS",
            "SEVERITIES",
            "Claim",
            "ConfigError",
            "Finding",
            "Lens",
            "LensConfig",
            "Markup",
            "Review",
            "ReviewLimitError",
            "Severity",
            "Suppressed",
            "encoder_available",
            "find_config",
            "load_config",
            "review",
            "review_many",
        ]
    )
    for name in lens_api.__all__:
        assert getattr(lens_api, name) is not None


def test_public_classes_and_functions_have_docstrings():
    for name in lens_api.__all__:
        obj = getattr(lens_api, name)
        if isinstance(obj, type) or inspect.isfunction(obj):
            assert getattr(obj, "__doc__", None), f"{name} needs a docstring"


def test_category_ids_are_exactly_the_public_ones():
    assert set(CATEGORY_IDS) == PUBLIC_IDS


def test_importing_the_lens_imports_no_django_and_no_numpy():
    code = (
        "import sys, purposeful.lens, purposeful.lens.commands; "
        "bad = [m for m in ('django', 'numpy', 'sklearn', 'scipy') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_reviewing_imports_no_django_and_no_numpy():
    # numpy would cost every review command ~50 ms; rules and classifier need none
    # of it (sentence embeddings for a purpose, with the semantic extra, do)
    code = (
        "import sys; from purposeful.lens import review; "
        "review('Only 3 left, hurry! Only a couple remain.'); "
        "bad = [m for m in ('django', 'numpy') if m in sys.modules]; "
        "review('Only 3 left, hurry!', purpose='Bikes that last'); "
        "bad += ['django'] * ('django' in sys.modules); "
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_finding_carries_offsets_line_column_text_and_suggestion():
    text = "Fresh bread daily.\nOnly 3 left, so hurry!"
    result = review(text)
    assert isinstance(result, Review)
    scarcity = next(f for f in result.findings if f.id == "manipulation.scarcity")
    assert isinstance(scarcity, Finding)
    assert text[scarcity.start : scarcity.end] == scarcity.text == "Only 3 left"
    assert (scarcity.line, scarcity.column) == (2, 1)
    assert scarcity.severity == "warning"
    assert "2005/29/EC" in scarcity.message
    assert scarcity.suggestion
    urgency = next(f for f in result.findings if f.id == "manipulation.urgency")
    assert urgency.text == "hurry"
    assert (urgency.line, urgency.column) == (2, 17)


def test_offsets_count_characters_not_bytes():
    text = "Café crème — déjà vu. Only 2 left!"
    finding = review(text).findings[0]
    assert text[finding.start : finding.end] == "Only 2 left"
    assert finding.column == text.index("Only") + 1


def test_review_to_dict_is_json_ready():
    import json

    data = review(
        "Hurry, offer ends tonight.", purpose="Bread for the village"
    ).to_dict()
    assert set(data) == {
        "findings",
        "suppressed",
        "purpose_alignment",
        "alignment_method",
    }
    finding = data["findings"][0]
    for key in ("id", "severity", "message", "start", "end", "line", "column", "text"):
        assert key in finding
    assert "suggestion" in finding
    json.dumps(data)


def test_purpose_alignment_only_when_a_purpose_is_given():
    assert review("We mend bikes.").purpose_alignment is None
    result = review("We mend bikes.", purpose="Keep bikes on the road")
    assert 0.0 <= result.purpose_alignment <= 1.0
    assert result.alignment_method in {"lexical"} or result.alignment_method.startswith(
        "semantic"
    )


def test_review_many_gives_the_same_findings_as_review_one_by_one():
    texts = [
        "Only 3 left!",
        "We bake bread every morning.",
        "Our eco-friendly bags are better than the rest.",
        "No thanks, I prefer paying full price.",
        "",
    ]
    many = review_many(texts)
    assert [r.to_dict() for r in many] == [review(t).to_dict() for t in texts]


def test_empty_text_has_no_findings():
    assert review("").findings == []
    assert review("   \n\n ").findings == []
