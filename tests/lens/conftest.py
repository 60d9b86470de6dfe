"""Fixtures for the lens tests: no database, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from purposeful.lens import Lens, LensConfig

ROOT = Path(__file__).resolve().parents[2]
#: The public evaluation data set lives beside the repository, never inside it.
EC_DARKPATTERN = ROOT.parent / "shared" / "data" / "ec-darkpattern.tsv"


@pytest.fixture(scope="session")
def rules_only() -> Lens:
    """A lens with the classifier switched off: only the rule packs report."""
    return Lens(LensConfig(classifier=False))


@pytest.fixture(scope="session")
def full_lens() -> Lens:
    """The lens as shipped: rule packs and the classifier."""
    return Lens(LensConfig())
