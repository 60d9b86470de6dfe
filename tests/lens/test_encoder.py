"""The fine-tuned encoder: its files, its tokens, and how a review uses it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from purposeful.cli import main as cli
from purposeful.lens import CATEGORY_IDS, Lens, LensConfig, _encoder, encoder_available
from purposeful.lens._config import ConfigError, parse_config
from purposeful.lens._encoder import load_encoder, shipped_encoder_dir
from purposeful.lens._modelfile import ModelError

ROOT = Path(__file__).resolve().parents[2]


def _corpus_rows(limit: int) -> list[tuple[str, str]]:
    lines = (ROOT / "training/lens-corpus.tsv").read_text(encoding="utf-8").splitlines()
    rows = [tuple(line.split("\t")[:2]) for line in lines[1:]]
    return rows[:: max(1, len(rows) // limit)][:limit]  # type: ignore[return-value]


def test_the_encoder_ships_and_knows_every_category():
    assert encoder_available()
    encoder = load_encoder()
    assert sorted(encoder.classes) == sorted([*CATEGORY_IDS, "none"])


def test_token_ids_are_those_of_minilms_own_tokenizer():
    tokenizers = pytest.importorskip("tokenizers")
    vocab = str(shipped_encoder_dir() / "vocab.txt")
    reference = tokenizers.BertWordPieceTokenizer(vocab, lowercase=True)
    encoder = load_encoder()
    texts = [t for t, _ in _corpus_rows(300)] + ["Café ½ price — 🚲 “now”!"]
    for text in texts:
        ours = [encoder._cls, *encoder._wordpiece.ids(text), encoder._sep]
        assert ours == reference.encode(text).ids, text


def test_probabilities_are_a_distribution_per_text_and_cached():
    encoder = load_encoder()
    texts = [
        "Only 2 left in stock!",
        "Our workshop opens at nine.",
        "Only 2 left in stock!",
    ]
    rows = encoder.probabilities(texts)
    assert len(rows) == 3
    for row in rows:
        assert len(row) == len(encoder.classes)
        assert sum(row) == pytest.approx(1.0, abs=1e-5)
    assert rows[0] == rows[2]


def test_the_shipped_encoder_labels_the_copy_it_learnt_from():
    # a wrong token, a missing [CLS] or a broken export reads every text as noise:
    # the copy the model was trained on is where that shows first
    encoder = load_encoder()
    rows = _corpus_rows(240)
    probabilities = encoder.probabilities([t for t, _ in rows])
    right = sum(
        encoder.classes[max(range(len(p)), key=p.__getitem__)] == label
        for (_, label), p in zip(rows, probabilities, strict=True)
    )
    assert right / len(rows) >= 0.9


class _Says:
    """An encoder that answers one class for every sentence, with confidence."""

    def __init__(self, classes: list[str], label: str) -> None:
        self.classes = classes
        self.label = label

    def probabilities(self, texts):
        rest = 0.001 / (len(self.classes) - 1)
        return [
            [0.999 if c == self.label else rest for c in self.classes] for _ in texts
        ]


def test_an_encoder_that_finds_nothing_outweighs_the_classifier():
    appeal = "Every day without cover is a day your family is exposed."
    plain = [
        f
        for f in Lens(LensConfig()).review(appeal).findings
        if f.source == "classifier"
    ]
    assert plain, "the classifier alone flags this appeal"
    lens = Lens(LensConfig(encoder=True))
    lens._encoder = _Says(load_encoder().classes, "none")  # type: ignore[assignment]
    lens._encoder_loaded = True
    assert [f for f in lens.review(appeal).findings if f.source == "classifier"] == []


def test_the_two_models_are_joined_by_their_geometric_mean_in_the_classifiers_order():
    from purposeful.lens._review import _encoder_choices

    class Model:
        classes = ["none", "manipulation.fear", "manipulation.vanity"]

        def probabilities(self, texts):
            return [[0.5, 0.4, 0.1] for _ in texts]

    class Encoder:
        classes = ["manipulation.vanity", "none", "manipulation.fear"]  # other order

        def probabilities(self, texts):
            return [[0.1, 0.1, 0.8] for _ in texts]

    [(row, joined)] = _encoder_choices(Encoder(), Model(), ["one sentence"])  # type: ignore[arg-type]
    raw = [(0.5 * 0.1) ** 0.5, (0.4 * 0.8) ** 0.5, (0.1 * 0.1) ** 0.5]
    assert row == 0
    assert joined == pytest.approx([r / sum(raw) for r in raw])


def test_without_the_encoder_option_it_is_never_loaded(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("loaded")

    monkeypatch.setattr(_encoder, "load_encoder", refuse)
    Lens(LensConfig()).review("Hurry, only today: everything must go!")


def test_config_key_encoder_is_read_and_checked(tmp_path):
    path = tmp_path / "purposeful.toml"
    assert parse_config({"encoder": True}, path, "lens").encoder is True
    assert parse_config({}, path, "lens").encoder is False
    with pytest.raises(ConfigError, match="lens.encoder: must be true or false"):
        parse_config({"encoder": "yes"}, path, "lens")


def test_cli_encoder_flag_reviews_with_it(tmp_path):
    page = tmp_path / "copy.txt"
    page.write_text("Only 2 left in stock! Order now before they are gone.\n")
    result = CliRunner().invoke(
        cli, ["review", str(page), "--encoder", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    ids = {f["id"] for f in json.loads(result.output)["files"][0]["findings"]}
    assert "manipulation.scarcity" in ids


def test_cli_encoder_without_onnxruntime_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    load_encoder.cache_clear()
    page = tmp_path / "copy.txt"
    page.write_text("Our workshop opens at nine on weekdays.\n")
    try:
        result = CliRunner().invoke(cli, ["review", str(page), "--encoder"])
    finally:
        load_encoder.cache_clear()
    assert result.exit_code == 2
    assert "onnxruntime" in result.output
    assert "Traceback" not in result.output


def test_an_unreadable_encoder_folder_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="cannot read the encoder"):
        load_encoder(str(tmp_path))


def test_a_model_of_ones_own_with_other_classes_is_read_without_the_encoder(
    tmp_path, monkeypatch
):
    from purposeful.lens import _review
    from purposeful.lens._train import train

    texts = ["hurry up now, it ends tonight", "we bake bread every morning"] * 6
    path = tmp_path / "own.bin"
    train(texts, ["manipulation.urgency", "none"] * 6).save(path)
    joined = _review._encoder_choices
    asked = []
    monkeypatch.setattr(
        _review, "_encoder_choices", lambda *a: asked.append(a) or joined(*a)
    )
    copy = "We bake our bread every morning in the village."
    Lens(LensConfig(encoder=True)).review(copy)
    assert asked, "the shipped model is joined with the encoder"
    asked.clear()
    Lens(LensConfig(model=str(path), encoder=True)).review(copy)
    assert asked == []
