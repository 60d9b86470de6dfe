"""Purpose alignment: purpose-led copy scores higher than push, with either method."""

from __future__ import annotations

import math

from purposeful.lens import Lens, LensConfig
from purposeful.lens._purpose import alignment, lexical_alignment

PURPOSE = "Help people keep their bikes on the road for decades, through repair."

ALIGNED = [
    "Bring your bike to the repair evening; we teach you to fix it yourself.",
    "Every part of our bikes can be repaired, so they last for decades.",
    "We keep spare parts for old bikes because people need them on the road.",
]
PUSH = [
    "Huge sale! Buy now and save 50% on the newest bikes.",
    "Exclusive luxury bikes for the elite, order today.",
    "The best deal in town: free gift with every purchase.",
]


def test_lexical_alignment_ranks_purpose_led_copy_above_push():
    aligned = [lexical_alignment(t, PURPOSE) for t in ALIGNED]
    push = [lexical_alignment(t, PURPOSE) for t in PUSH]
    assert min(aligned) > max(push)
    assert all(0.0 <= s <= 1.0 for s in aligned + push)


def test_manipulation_findings_lower_alignment():
    text = ALIGNED[0]
    assert lexical_alignment(text, PURPOSE, findings=2) < lexical_alignment(
        text, PURPOSE
    )


def test_review_says_the_lexical_method_was_used_without_the_semantic_extra():
    lens = Lens(LensConfig(classifier=False))
    lens._embedder_loaded, lens._embedder = True, None
    result = lens.review(ALIGNED[0], purpose=PURPOSE)
    assert result.alignment_method == "lexical"


class _FakeEmbedder:
    """Maps each text to a unit vector by a keyword, standing in for a real model."""

    name = "fake"

    def embed(self, texts):
        out = []
        for text in texts:
            vector = [1.0 if "repair" in text.lower() else 0.0, 1.0, 0.0]
            norm = math.sqrt(sum(x * x for x in vector))
            out.append([x / norm for x in vector])
        return out


def test_an_embedder_is_used_when_available_and_named_in_the_output():
    score, method = alignment(ALIGNED[0], PURPOSE, embedder=_FakeEmbedder())
    other, _ = alignment(PUSH[0], PURPOSE, embedder=_FakeEmbedder())
    assert method == "semantic:fake"
    assert score > other


def test_config_purpose_is_used_when_no_purpose_is_passed():
    lens = Lens(LensConfig(classifier=False, purpose=PURPOSE))
    lens._embedder_loaded, lens._embedder = True, None
    assert lens.review(ALIGNED[1]).purpose_alignment is not None


def test_shipped_static_embedder_ranks_purpose_led_copy_above_push():
    import pytest

    pytest.importorskip("tokenizers", reason="the semantic extra is not installed")
    from purposeful.lens._semantic import load_embedder

    embedder = load_embedder()
    assert embedder is not None and embedder.name == "minilm-static"
    [vector] = embedder.embed(["Repair keeps bikes on the road."])
    assert len(vector) == 128
    assert abs(sum(x * x for x in vector) - 1.0) < 1e-4
    aligned = [alignment(t, PURPOSE, embedder=embedder) for t in ALIGNED]
    push = [alignment(t, PURPOSE, embedder=embedder) for t in PUSH]
    assert {m for _, m in aligned + push} == {"semantic:minilm-static"}
    assert min(s for s, _ in aligned) > max(s for s, _ in push)


def test_semantic_similarity_follows_meaning_not_spelling():
    import pytest

    pytest.importorskip("tokenizers", reason="the semantic extra is not installed")
    from purposeful.lens._semantic import load_embedder

    embedder = load_embedder()
    a, b, c = embedder.embed(
        [
            "We mend broken bicycles.",
            "Our workshop repairs bikes.",
            "Stock market news today.",
        ]
    )

    def cos(x, y):
        return sum(p * q for p, q in zip(x, y, strict=True))

    assert cos(a, b) > cos(a, c) + 0.2


def test_without_tokenizers_the_lexical_fallback_is_used(monkeypatch):
    import sys

    from purposeful.lens._semantic import load_embedder

    monkeypatch.setitem(sys.modules, "tokenizers", None)  # import now fails
    assert load_embedder() is None
    lens = Lens(LensConfig(classifier=False))
    assert lens.review(ALIGNED[0], purpose=PURPOSE).alignment_method == "lexical"


def test_unusable_embedding_file_falls_back_to_lexical(tmp_path):
    from purposeful.lens._semantic import load_embedder

    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    assert load_embedder(bad) is None


def test_config_can_force_the_lexical_method():
    lens = Lens(LensConfig(classifier=False, alignment="lexical"))
    assert lens.embedder is None
    assert lens.review(ALIGNED[0], purpose=PURPOSE).alignment_method == "lexical"
