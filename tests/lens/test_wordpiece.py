"""The plain-Python WordPiece tokeniser gives the ids the ``tokenizers`` package gives."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from purposeful.lens._model import words_of
from purposeful.lens._semantic import load_embedder, shipped_embedding_path
from purposeful.lens._vectors import static_model_table
from purposeful.lens._wordpiece import WordPiece

tokenizers = pytest.importorskip("tokenizers")

ROOT = Path(__file__).resolve().parents[2]

AWKWARD = [
    "",
    "   ",
    "Café naïve résumé — “quoted” ½ price",
    "東京 and 北京 in one line",
    "tab\there\x0bvertical \x85next-line \u200bzero-width İstanbul ﬁne ⅷ",
    "a" * 150 + " and a word longer than a hundred characters",
    "don't re-use e-mail: 50%! (really) [sic] {x} <b> #1 @you ~~ `code` $5 ^ |",
    "ß straße Ǆ Ω ω ﬀ",
    "emoji 🚲🔧 and \ufffd replacement \x00 null",
    "UNKNOWNWORDZZZQQQ xyzzyplugh",
]


@pytest.fixture(scope="module")
def pair():
    with np.load(shipped_embedding_path(), allow_pickle=False) as data:
        source = bytes(data["tokenizer"]).decode("utf-8")
    vocab = json.loads(source)["model"]["vocab"]
    return tokenizers.Tokenizer.from_str(source), WordPiece(vocab)


def _corpus() -> list[str]:
    lines = (ROOT / "training/lens-corpus.tsv").read_text(encoding="utf-8").splitlines()
    heldout = (ROOT / "training/lens-heldout-purpose.txt").read_text(encoding="utf-8")
    return [line.split("\t")[0] for line in lines[1:]] + heldout.splitlines()


def test_ids_equal_the_tokenizers_package_on_the_whole_corpus(pair):
    reference, ours = pair
    texts = _corpus()
    assert len(texts) > 500
    expected = [e.ids for e in reference.encode_batch(texts, add_special_tokens=False)]
    assert [ours.ids(t) for t in texts] == expected


@pytest.mark.parametrize("text", AWKWARD)
def test_ids_equal_the_tokenizers_package_on_awkward_text(pair, text):
    reference, ours = pair
    assert ours.ids(text) == reference.encode(text, add_special_tokens=False).ids


def test_a_word_that_cannot_be_pieced_together_is_one_unknown_token(pair):
    _, ours = pair
    assert ours.ids("\u2603\u2604") == [ours.unk_id]


def test_classifier_vectors_equal_the_alignment_embedder():
    # the classifier tokenises word by word with digits folded to 0; on ordinary
    # copy without digits that is the same
    texts = [t for t in _corpus() if not any(c.isdigit() for c in t)][:300]
    assert len(texts) == 300
    embedder = load_embedder()
    assert embedder is not None
    table = static_model_table()
    ours = [table.mean(words_of(t)) for t in texts]
    assert np.allclose(ours, np.asarray(embedder.embed(texts)), atol=1e-5)
