"""The website maintainers' guide documents every lens configuration key, finding id and
command option."""

from __future__ import annotations

from pathlib import Path

import pytest

from purposeful.lens import CATEGORY_IDS
from purposeful.lens._config import _KEYS
from purposeful.lens.commands import review

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "website-maintainers.md"
SECTION = (
    GUIDE.read_text(encoding="utf-8")
    .split("## Review your copy", 1)[-1]
    .split("\n## ", 1)[0]
)


@pytest.mark.parametrize("key", sorted(_KEYS))
def test_every_config_key_is_documented(key):
    documented = (f"{key} =", f"`{key}`", f"lens.{key}]")
    assert any(form in SECTION for form in documented), f"document {key!r}"


@pytest.mark.parametrize("finding_id", CATEGORY_IDS)
def test_every_finding_id_is_documented(finding_id):
    assert f"`{finding_id}`" in SECTION


@pytest.mark.parametrize(
    "option", sorted(o for p in review.params for o in p.opts if o.startswith("--"))
)
def test_every_review_option_is_documented(option):
    assert f"`{option}" in SECTION or f"/`{option}" in SECTION, f"document {option}"
