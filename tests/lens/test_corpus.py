"""The training corpus: well-formed, large and varied enough, free of repeats."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from purposeful.lens import CATEGORY_IDS
from purposeful.lens._train import labelled_files, read_rows

CORPUS = Path(__file__).resolve().parents[2] / "training" / "corpus"
COLUMNS = ("text", "label", "sector", "register")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(CORPUS)


def _normalised(text: str) -> str:
    # two rows that differ only in capitals, punctuation or spacing teach nothing new
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def test_every_corpus_file_has_the_corpus_columns():
    for path in labelled_files([CORPUS]):
        header = path.read_text(encoding="utf-8").split("\n", 1)[0].split("\t")
        assert tuple(header[:4]) == COLUMNS, path.name


def test_every_row_has_a_known_label_a_sector_and_a_register(rows):
    for row in rows:
        assert row["label"] in {*CATEGORY_IDS, "none"}, row
        assert row["sector"] and row["register"], row
        assert "\t" not in row["text"] and row["text"] == row["text"].strip(), row


def test_every_category_has_at_least_500_rows_and_honest_copy_6000(rows):
    counts = Counter(row["label"] for row in rows)
    assert {c: counts[c] for c in CATEGORY_IDS if counts[c] < 500} == {}
    assert counts["none"] >= 6000


def test_the_corpus_spans_25_sectors_and_8_registers(rows):
    assert len({row["sector"] for row in rows}) >= 25
    assert len({row["register"] for row in rows}) >= 8


def test_no_text_is_in_the_corpus_twice(rows):
    counts = Counter(_normalised(row["text"]) for row in rows)
    assert [text for text, n in counts.items() if n > 1] == []
