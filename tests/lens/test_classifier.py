"""The shipped classifier: its file format, its inference, and what it catches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from purposeful.lens import Lens, LensConfig
from purposeful.lens._model import (
    EMBEDDING_WEIGHT,
    GROUPS,
    LensModel,
    ModelError,
    embed,
    encode,
    group_of_columns,
    load_model,
    rule_hits,
    shipped_model_path,
    softmax,
    weigh,
)
from purposeful.lens._train import read_labelled, train

ROOT = Path(__file__).resolve().parents[2]


def _corpus_texts() -> list[str]:
    texts, _ = read_labelled(ROOT / "training/lens-corpus.tsv")
    heldout = (ROOT / "training/lens-heldout-purpose.txt").read_text(encoding="utf-8")
    return texts + heldout.splitlines()


# Paraphrases that no rule pack phrase covers; the classifier must catch them.
PARAPHRASES = [
    ("Only a couple remain.", "manipulation.scarcity"),
    ("Look fabulous and make everyone stare.", "manipulation.vanity"),
    ("Don't let your family suffer because you hesitated.", "manipulation.fear"),
    ("Eight people are checking this out right now.", "manipulation.social-proof"),
]


@pytest.fixture(scope="module")
def model() -> LensModel:
    return load_model(shipped_model_path())


def test_shipped_model_covers_every_category_and_none(model):
    from purposeful.lens import CATEGORY_IDS

    assert set(model.classes) == {*CATEGORY_IDS, "none"}
    assert model.negative_class == "none"


def test_shipped_model_is_plain_arrays_not_a_pickle():
    with np.load(shipped_model_path(), allow_pickle=False) as data:
        assert {"features", "idf", "coef", "intercept", "classes", "meta"} <= set(data)
        assert all(data[k].dtype != object for k in data.files)


def test_shipped_model_reads_rule_matches_and_static_vectors(model):
    rule_features = model.vocab[GROUPS.index("rule")]
    assert "c:manipulation.urgency" in rule_features and "any" in rule_features
    assert model.dense_coef is not None
    assert model.dense_coef.shape == (128, len(model.classes))
    assert model.dense_detector is not None and model.dense_detector.shape == (128,)


def test_training_also_learns_rule_matched_texts_by_their_words_alone():
    # Reviews ask the classifier about sentences no rule matched; a model that had
    # learnt "a rule match means manipulation" would let their paraphrases pass.
    texts, labels = read_labelled(ROOT / "training/lens-corpus.tsv")
    texts, labels = texts[::2], labels[::2]
    model = train(texts, labels)
    matched = [
        t for t, x in zip(texts, labels, strict=True) if x != "none" and rule_hits(t)
    ]
    assert len(matched) > 30
    rows = model.rows(matched, hits=[[] for _ in matched])
    none = model.classes.index("none")
    assert (softmax(model.row_scores(rows))[:, none] < 0.5).all()
    assert model.meta["n_texts"] == len(texts)


def test_screening_flags_exactly_the_texts_the_full_detector_flags(model):
    # screening leaves the static vectors out where they cannot change the outcome
    texts = _corpus_texts()
    flagged = model.manipulation(model.rows(texts))
    for floor in (0.3, 0.6, 0.8):
        chosen, probabilities = model.screen(texts, floor=floor)
        assert chosen.tolist() == np.flatnonzero(flagged >= floor).tolist()
        assert 0 < len(chosen) < len(texts)
        expected = softmax(model.scores([texts[i] for i in chosen.tolist()]))
        assert np.allclose(probabilities, expected)


def test_a_rule_match_moves_the_score_towards_its_category(model):
    # the same words, once with the rule features the scan found and once without
    text = "Hurry, this deal ends tonight"
    urgency = model.classes.index("manipulation.urgency")
    with_hits = model.row_scores(model.rows([text]))[0, urgency]
    without = model.row_scores(model.rows([text], hits=[[]]))[0, urgency]
    assert with_hits > without


def test_a_model_of_an_older_format_asks_to_be_trained_again(tmp_path):
    texts = ["hurry up now", "we bake bread"] * 4
    model = train(texts, ["manipulation.urgency", "none"] * 4)
    model.save(tmp_path / "old.npz")
    import json
    import zipfile

    # save() stamps the current format: rewrite the meta entry as an old model has it
    with zipfile.ZipFile(tmp_path / "old.npz") as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    meta = dict(json.loads(str(np.load(tmp_path / "old.npz")["meta"])), format=2)
    path = tmp_path / "meta.npy"
    np.save(path, np.asarray(json.dumps(meta)))
    entries["meta.npy"] = path.read_bytes()
    with zipfile.ZipFile(tmp_path / "old.npz", "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    with pytest.raises(ModelError, match="train it again"):
        load_model(tmp_path / "old.npz")


@pytest.mark.parametrize(("text", "category"), PARAPHRASES)
def test_classifier_catches_paraphrases_the_rules_miss(
    rules_only, full_lens, text, category
):
    assert rules_only.review(text).findings == []
    [finding] = full_lens.review(text).findings
    assert finding.id == category
    assert finding.source == "classifier"
    assert finding.start == 0 and finding.end == len(text)
    assert finding.confidence >= 0.8
    assert "classifier" in finding.message


def test_classifier_span_is_the_sentence_it_flags(full_lens):
    text = "We bake every morning. Only a couple remain. Thank you."
    [finding] = full_lens.review(text).findings
    assert finding.text == "Only a couple remain."
    assert text[finding.start : finding.end] == finding.text


def test_classifier_findings_never_exceed_warning(full_lens):
    assert all(
        f.severity in {"warning", "info"}
        for text, _ in PARAPHRASES
        for f in full_lens.review(text).findings
    )


def test_cached_inference_equals_the_training_encoding(model):
    texts = ["Only a couple remain!", "FREE shipping on 2 items", "We bake bread.", ""]
    fast = [model.encode(t) for t in texts]
    slow = [encode(t, model.vocab) for t in texts]
    for f, slow_row in zip(fast, slow, strict=True):
        fi, fc, fv = weigh([f], model.idf, group_of_columns(model.vocab))
        si, sc, sv = weigh([slow_row], model.idf, group_of_columns(model.vocab))
        assert np.array_equal(fi, si)
        fast_weights = dict(zip(fc.tolist(), fv.tolist(), strict=True))
        slow_weights = dict(zip(sc.tolist(), sv.tolist(), strict=True))
        assert fast_weights.keys() == slow_weights.keys()
        assert np.allclose(
            [fast_weights[k] for k in sorted(fast_weights)],
            [slow_weights[k] for k in sorted(slow_weights)],
        )


def test_numpy_inference_matches_scikit_learn():
    # texts no rule matches, so that training sees each of them once
    texts = ["grab it soon", "two remain", "we bake bread", "we mend shoes"] * 3
    labels = ["manipulation.urgency", "manipulation.scarcity", "none", "none"] * 3
    assert not any(rule_hits(t) for t in texts)
    model = train(texts, labels)
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    indptr, cols, vals = weigh(
        [encode(t, model.vocab) for t in texts],
        model.idf,
        group_of_columns(model.vocab),
    )
    sparse = sp.csr_matrix((vals, cols, indptr), shape=(len(texts), len(model.idf)))
    matrix = sp.hstack([sparse, embed(texts, EMBEDDING_WEIGHT)], format="csr")
    reference = LogisticRegression(C=model.meta["c"], max_iter=5000).fit(matrix, labels)
    assert np.allclose(
        model.probabilities(texts), reference.predict_proba(matrix), atol=1e-6
    )


def test_saved_model_loads_back_with_the_same_predictions(tmp_path):
    texts = ["hurry up now", "only two left", "we bake bread", "we mend shoes"] * 3
    labels = ["manipulation.urgency", "manipulation.scarcity", "none", "none"] * 3
    model = train(texts, labels)
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = load_model(path)
    assert loaded.classes == model.classes
    assert np.allclose(
        loaded.probabilities(texts), model.probabilities(texts), atol=1e-5
    )


def test_a_config_can_point_at_its_own_model(tmp_path):
    texts = ["grab it while it lasts", "we bake bread", "we mend shoes"] * 4
    labels = ["manipulation.urgency", "none", "none"] * 4
    path = tmp_path / "own.npz"
    train(texts, labels).save(path)
    lens = Lens(LensConfig(model=str(path), threshold=0.5))
    [finding] = lens.review("Grab it while it lasts").findings
    assert finding.id == "manipulation.urgency" and finding.source == "classifier"


@pytest.mark.parametrize("content", [b"", b"not a zip file", b"PK\x03\x04broken"])
def test_unreadable_model_file_raises_model_error(tmp_path, content):
    path = tmp_path / "bad.npz"
    path.write_bytes(content)
    with pytest.raises(ModelError, match="bad.npz"):
        load_model(path)


def test_missing_model_file_raises_model_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "none.npz")
