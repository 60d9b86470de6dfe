"""Every relative link, anchor and path named in the README and docs/ leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]+`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# Paths the guides name in code spans, e.g. `src/purposeful/permissions.py`.
NAMED_PATH = re.compile(
    r"`((?:src|tests|benchmarks|training|docs|\.ci)/[\w./-]*|"
    r"[\w-]+\.(?:md|toml|yaml|py))`"
)


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as -."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {_slug(m) for m in re.findall(r"^#{1,6} (.+?)\s*#*$", text, re.M)}


def _links(page: Path) -> list[str]:
    text = CODE_SPAN.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))
    return LINK.findall(text)


def _relative(target: str) -> bool:
    return not re.match(r"[a-z][a-z0-9+.-]*:", target) and not target.startswith("//")


CASES = [
    pytest.param(page, target, id=f"{page.relative_to(ROOT)}->{target}")
    for page in PAGES
    for target in _links(page)
    if _relative(target)
]


def test_the_docs_have_links_to_check():
    assert len(CASES) > 20
    assert {p.name for p in PAGES} >= {"README.md", "members.md", "stewards.md"}


@pytest.mark.parametrize(("page", "target"), CASES)
def test_relative_link_resolves(page: Path, target: str):
    path, _, anchor = target.partition("#")
    destination = (page.parent / path).resolve() if path else page
    assert destination.exists(), f"{page.name}: {target} leads to no file"
    if anchor:
        assert destination.suffix == ".md", f"{page.name}: {target} anchors a non-page"
        assert anchor in _anchors(destination), (
            f"{page.name}: no heading in {destination.name} has the anchor #{anchor}"
        )


def _named_paths():
    for page in PAGES:
        text = FENCE.sub("", page.read_text(encoding="utf-8"))
        for name in NAMED_PATH.findall(text):
            if "/" in name and not re.search(r"[*<>…]", name):
                yield pytest.param(page, name, id=f"{page.relative_to(ROOT)}:{name}")


@pytest.mark.parametrize(("page", "name"), list(_named_paths()))
def test_a_path_named_in_the_docs_exists(page: Path, name: str):
    assert (ROOT / name.rstrip("/")).exists(), (
        f"{page.name} names {name}, which is gone"
    )
