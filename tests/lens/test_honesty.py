"""Honesty: purpose-led copy the classifier never saw is (almost) never warned about."""

from __future__ import annotations

from pathlib import Path

from purposeful.lens import review_many

HELD_OUT = Path(__file__).resolve().parents[2] / "training" / "lens-heldout-purpose.txt"


def _texts() -> list[str]:
    lines = HELD_OUT.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_held_out_purpose_led_copy_is_at_most_one_in_twenty_warned():
    texts = _texts()
    assert len(texts) >= 100
    warned = [
        (text, [f.id for f in r.findings])
        for text, r in zip(texts, review_many(texts), strict=True)
        if any(f.severity in {"error", "warning"} for f in r.findings)
    ]
    rate = len(warned) / len(texts)
    print(f"honesty: {len(warned)}/{len(texts)} held-out texts warned ({rate:.1%})")
    assert rate <= 1 / 20, warned


def test_held_out_copy_is_not_in_the_training_corpus():
    corpus = (HELD_OUT.parent / "lens-corpus.tsv").read_text(encoding="utf-8")
    trained = {line.split("\t")[0] for line in corpus.splitlines()[1:]}
    assert not trained & set(_texts())
