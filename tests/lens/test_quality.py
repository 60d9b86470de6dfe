"""The lens model architecture on the public ec-darkpattern data (skipped when absent)."""

from __future__ import annotations

import pytest

from purposeful.lens._train import cross_validate, read_labelled

from .conftest import EC_DARKPATTERN

pytestmark = pytest.mark.skipif(
    not EC_DARKPATTERN.is_file(), reason="../shared/data/ec-darkpattern.tsv is absent"
)


def test_cross_validation_on_a_stratified_sample_clearly_beats_chance():
    texts, labels = read_labelled(EC_DARKPATTERN)
    # every fifth text keeps the run short; the full run is benchmarks/lens_quality.py
    sample = list(range(0, len(texts), 5))
    result = cross_validate(
        [texts[i] for i in sample], [labels[i] for i in sample], folds=3
    )
    print(f"ec-darkpattern sample: {result.to_dict()}")
    assert result.accuracy > 0.9
    assert result.f1 > 0.9
    assert result.positive_label == "not 0"


def test_reading_the_data_skips_rows_without_a_clean_label():
    texts, labels = read_labelled(EC_DARKPATTERN)
    assert set(labels) == {"0", "1"}
    assert len(texts) == len(labels) > 2300
