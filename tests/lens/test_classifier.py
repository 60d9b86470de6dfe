"""The shipped classifier: its file format, its inference, and what it catches."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from purposeful.lens import Lens, LensConfig
from purposeful.lens._model import (
    GROUP_WEIGHTS,
    GROUPS,
    LensModel,
    ModelError,
    features,
    load_model,
    rule_hits,
    shipped_model_path,
    words_of,
)
from purposeful.lens._modelfile import MAGIC, read_model_file, write_model_file
from purposeful.lens._train import (
    CATEGORY_SETTINGS,
    Settings,
    _fit,
    read_labelled,
    train,
)

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
    meta, arrays = read_model_file(shipped_model_path())
    assert shipped_model_path().read_bytes().startswith(MAGIC)
    assert {"features", "groups", "norms", "weights", "dense", "vectors"} <= set(arrays)
    assert all(isinstance(a, bytes | memoryview) for a in arrays.values())
    assert meta["format"] == 4 and meta["classes"]


def test_shipped_model_reads_rule_matches_and_static_vectors(model):
    rule_features = model.vocab[GROUPS.index("rule")]
    assert "c:manipulation.urgency" in rule_features and "any" in rule_features
    assert model.table is not None and model.table.dims == 128
    assert len(model.dense) == 128 * model.heads
    # the class heads, then the binary detector
    assert model.heads == len(model.classes) + 1 == model.detector + 1


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
    assert min(model.manipulation(matched, [[] for _ in matched])) > 0.5
    assert model.meta["n_texts"] == len(texts)


def _by_formula(model: LensModel, text: str, hits=None) -> list[float]:
    """Every head's score of ``text`` by the model's definition, feature by feature."""
    import math
    from collections import Counter

    scores = list(model.intercepts)
    for group, feats in enumerate(features(text, hits)):
        counts = Counter(
            model.vocab[group][f] for f in feats if f in model.vocab[group]
        )
        length = math.sqrt(sum(k * model.norms[c] for c, k in counts.items()))
        for h in range(model.heads):
            total = sum(
                k * model.weights[h * len(model.norms) + c] for c, k in counts.items()
            )
            scores[h] += GROUP_WEIGHTS[group] * total / length if length else 0.0
    vector = model.table.mean(words_of(text))
    for h in range(model.heads):
        dense = model.dense[h * model.table.dims : (h + 1) * model.table.dims]
        if vector is not None:
            scores[h] += model.embedding_weight * sum(
                v * w for v, w in zip(vector, dense, strict=True)
            )
    return scores


def test_cached_inference_equals_the_model_definition(model):
    # cached per-word sums, complex-number tables and pickers against plain loops
    texts = [
        "Only a couple remain!",
        "FREE shipping on 2 items, 2 items only!!",
        "We bake bread.",
        "",
        "Hurry, hurry: this deal ends tonight",
        "Café naïve “quoted” — ½ price ZZZQQQ",
    ]
    fast = model.scores(texts) + model.scores(texts)  # the second time from caches
    slow = [_by_formula(model, t) for t in texts] * 2
    assert np.allclose(fast, slow, atol=1e-5)
    detector = [s[model.detector] for s in slow[: len(texts)]]
    manipulation = [1 / (1 + math.exp(-d)) for d in detector]
    assert np.allclose(model.manipulation(texts), manipulation, atol=1e-6)


def test_inference_matches_scikit_learn_on_the_training_rows():
    texts, labels = read_labelled(ROOT / "training/lens-corpus.tsv")
    fit = _fit(texts[::3], labels[::3], settings=Settings(prior=None, min_df=2))
    row_texts = [t for t, _ in fit.rows]
    row_hits = [h for _, h in fit.rows]
    ours = fit.model.probabilities(row_texts, row_hits)
    assert np.allclose(ours, fit.classifier.predict_proba(fit.matrix), atol=1e-6)


def test_binary_labels_make_a_one_head_model_whose_detector_is_that_head():
    texts = ["grab it soon", "two remain", "we bake bread", "we mend shoes"] * 3
    fit = _fit(texts, ["1", "1", "0", "0"] * 3)
    assert fit.model.heads == 1 and fit.model.detector == 0
    ours = fit.model.probabilities(texts)
    assert np.allclose(ours, fit.classifier.predict_proba(fit.matrix), atol=1e-6)
    assert fit.model.predict(["grab it soon"]) == ["1"]


def test_a_negative_class_sorted_last_still_gets_a_detector_for_the_other():
    texts = ["grab it soon", "we bake bread"] * 4
    model = train(texts, ["manipulation.urgency", "none"] * 4)
    assert model.classes == ["manipulation.urgency", "none"]
    [urgent, calm] = model.manipulation(["grab it soon", "we bake bread"])
    assert urgent > 0.5 > calm


def test_screening_flags_exactly_the_texts_the_detector_flags(model):
    # screening leaves the static vectors out where they cannot change the outcome
    texts = _corpus_texts()
    probability = model.manipulation(texts)
    for floor in (0.3, 0.6, 0.8):
        chosen = model.screen(texts, floor=floor)
        expected = [i for i, p in enumerate(probability) if p >= floor]
        assert [i for i, _ in chosen] == expected
        assert 0 < len(chosen) < len(texts)
        classes = model.probabilities([texts[i] for i in expected])
        assert np.allclose([c for _, c in chosen], classes)


def test_screening_at_the_ends_of_the_scale_takes_every_text_or_none(model):
    texts = ["Only a couple remain.", "We bake bread."]
    assert [i for i, _ in model.screen(texts, floor=0.0)] == [0, 1]
    assert model.screen(texts, floor=1.0) == []


def test_a_rule_match_moves_the_score_towards_its_category(model):
    # the same words, once with the rule features the scan found and once without
    text = "Hurry, this deal ends tonight"
    urgency = model.classes.index("manipulation.urgency")
    [with_hits] = model.scores([text])
    [without] = model.scores([text], hits=[[]])
    assert with_hits[urgency] > without[urgency]


def test_a_model_of_an_older_format_asks_to_be_trained_again(tmp_path):
    path = tmp_path / "old.bin"
    write_model_file(path, {"format": 3}, {})
    with pytest.raises(ModelError, match="train it again"):
        load_model(path)


def test_an_npz_model_of_earlier_versions_is_not_read(tmp_path):
    path = tmp_path / "lens-model.npz"
    np.savez(path, coef=np.zeros(3))
    with pytest.raises(ModelError, match="earlier version .*train it again"):
        load_model(path)


@pytest.mark.parametrize(("text", "category"), PARAPHRASES)
def test_classifier_catches_paraphrases_the_rules_miss(
    rules_only, full_lens, text, category
):
    assert rules_only.review(text).findings == []
    [finding] = full_lens.review(text).findings
    assert finding.source == "classifier"
    if category == "manipulation.fear":
        # fear appeals are the category the model names least well (see
        # benchmarks/lens_generalisation.py): "Don't let your family …" it reads as
        # the shape of an approval or confirmshaming appeal; it must still be caught
        assert finding.id.startswith("manipulation.")
    else:
        assert finding.id == category
    # the whole sentence, or the clause of it that carries the category
    assert finding.start == 0 and 0 < finding.end <= len(text)
    assert text[finding.start : finding.end] == finding.text
    assert finding.confidence >= 0.8
    assert "classifier" in finding.message
    assert f"{finding.confidence:.0%} confidence" in finding.message


def test_classifier_finding_covers_the_clause_it_is_about(full_lens):
    text = (
        "Our bread is baked at dawn with local flour, and if you wait any longer "
        "your family will suffer because you hesitated."
    )
    lens = Lens(LensConfig(disable=frozenset({"manipulation.fear"})))
    assert lens.review(text).findings == []  # no rule, and no classifier finding
    [finding] = full_lens.review(text).findings
    assert "baked at dawn" not in finding.text and "suffer" in finding.text


def test_classifier_finding_says_which_words_weighed_most(full_lens):
    [finding] = full_lens.review("Look fabulous and make everyone stare.").findings
    assert "most of all because of" in finding.message
    assert "\u201cfabulous\u201d" in finding.message or "stare" in finding.message


def test_clauses_split_at_punctuation_and_conjunctions_but_keep_short_parts():
    from purposeful.lens._review import _clause_spans

    text = "Fresh bread daily, but stocks are running low before noon; sorry."
    spans = [text[s:e] for s, e in _clause_spans(text, 0, len(text))]
    assert spans == [
        "Fresh bread daily",
        "but stocks are running low",
        "before noon; sorry.",
    ]


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


def test_saved_model_loads_back_with_the_same_predictions(tmp_path):
    texts = ["hurry up now", "only two left", "we bake bread", "we mend shoes"] * 3
    labels = ["manipulation.urgency", "manipulation.scarcity", "none", "none"] * 3
    model = train(texts, labels)
    path = tmp_path / "m.bin"
    model.save(path)
    loaded = load_model(path)
    assert loaded.classes == model.classes
    assert np.allclose(
        loaded.probabilities(texts), model.probabilities(texts), atol=1e-5
    )
    assert np.allclose(loaded.scores(texts), model.scores(texts), atol=1e-4)


def test_a_config_can_point_at_its_own_model(tmp_path):
    texts = ["grab it while it lasts", "we bake bread", "we mend shoes"] * 4
    labels = ["manipulation.urgency", "none", "none"] * 4
    path = tmp_path / "own.bin"
    train(texts, labels).save(path)
    lens = Lens(LensConfig(model=str(path), threshold=0.5))
    [finding] = lens.review("Grab it while it lasts").findings
    assert finding.id == "manipulation.urgency" and finding.source == "classifier"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a model file",
        MAGIC,
        MAGIC + (10**6).to_bytes(8, "little") + b"{}",
        MAGIC + (2).to_bytes(8, "little") + b"[]",
        MAGIC + (12).to_bytes(8, "little") + b'{"meta": {}}',
    ],
)
def test_unreadable_model_file_raises_model_error(tmp_path, content):
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    with pytest.raises(ModelError, match="bad.bin"):
        load_model(path)


def test_a_model_file_cut_short_raises_model_error(tmp_path):
    texts = ["hurry up now", "we bake bread"] * 4
    path = tmp_path / "cut.bin"
    train(texts, ["manipulation.urgency", "none"] * 4).save(path)
    path.write_bytes(path.read_bytes()[:-1000])
    with pytest.raises(ModelError, match="cut.bin: damaged"):
        load_model(path)


def test_missing_model_file_raises_model_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "none.bin")
    with pytest.raises(ModelError, match="is a directory"):
        load_model(tmp_path)


def test_the_prior_moves_the_odds_of_manipulation_to_the_copy_people_review():
    # the corpus is half manipulative; reviewed copy is mostly honest
    texts, labels = read_labelled(ROOT / "training/lens-corpus.tsv")
    texts, labels = texts[::2], labels[::2]
    as_trained = _fit(texts, labels, settings=Settings(prior=None))
    moved = _fit(texts, labels, settings=Settings(prior=0.2))
    rows = [t for t, _ in as_trained.rows]
    hits = [h for _, h in as_trained.rows]
    before = as_trained.model.probabilities(rows, hits)
    after = moved.model.probabilities(rows, hits)
    negative = as_trained.model.classes.index("none")
    # the class heads and the detector are fitted the same; only the intercepts
    # move, by the same log-odds for every text
    shifts = {
        round(
            math.log((1 - b[negative]) / b[negative])
            - math.log((1 - a[negative]) / a[negative]),
            6,
        )
        for b, a in zip(before[:50], after[:50], strict=True)
    }
    assert len(shifts) == 1 and shifts.pop() > 0
    detector_before = as_trained.model.manipulation(rows[:50], hits[:50])
    detector_after = moved.model.manipulation(rows[:50], hits[:50])
    assert all(a < b for a, b in zip(detector_after, detector_before, strict=True))
    assert CATEGORY_SETTINGS.prior is not None and CATEGORY_SETTINGS.prior < 0.5


def test_a_dark_pattern_file_trains_as_its_categories_beside_category_copy(tmp_path):
    public = tmp_path / "dark.tsv"
    public.write_text(
        "page_id\ttext\tlabel\tPattern Category\n"
        "1\tOnly 2 left in stock\t1\tScarcity\n"
        "2\tNo thanks, I hate saving\t1\tMisdirection\n"
        "3\tCancel your plan here\t1\tObstruction\n"
        "4\tFree delivery over 30 euros\t0\t\n"
        "5\tshifted row\tScarcity\t\n",
        encoding="utf-8",
    )
    _, alone = read_labelled(public)
    assert alone[:4] == ["1", "1", "1", "0"]  # alone it is 0/1 detection data
    texts, labels = read_labelled(ROOT / "training/lens-corpus.tsv", public)
    ours = dict(zip(texts, labels, strict=False))
    assert ours["Only 2 left in stock"] == "manipulation.scarcity"
    assert ours["No thanks, I hate saving"] == "manipulation.confirmshaming"
    assert ours["Free delivery over 30 euros"] == "none"
    assert "Cancel your plan here" not in ours  # no lens category shows it
    assert "shifted row" not in ours
