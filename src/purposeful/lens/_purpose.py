"""Purpose alignment: how much a text speaks of the purpose and the genuine need.

Two methods share one scale (0 = product push, price pressure or status; 1 = speaks
from the purpose). The semantic method compares sentence embeddings of the purpose
and of the text (see ``_semantic``); the lexical fallback, always available, counts
shared content words and the vocabularies in ``data/alignment.toml``. Both lower the
score for every manipulation finding, since a text can echo the purpose's words
while pushing hard.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

__all__ = ["Embedder", "alignment", "lexical_alignment"]

_TOKEN = re.compile(r"[a-z][a-z'-]*")
_SUFFIXES = ("ingly", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly", "er", "ers")


class Embedder(Protocol):
    """Anything that turns sentences into unit-length vectors."""

    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One L2-normalised vector per text."""
        ...


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def _vocabularies() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    path = Path(__file__).with_name("data") / "alignment.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stop = frozenset(data["stop"])
    return (
        frozenset(_stem(w) for w in data["purpose"]),
        frozenset(_stem(w) for w in data["push"]),
        stop,
    )


def _content_stems(text: str, stop: frozenset[str]) -> list[str]:
    return [_stem(w) for w in _TOKEN.findall(text.lower()) if w not in stop]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def lexical_alignment(text: str, purpose: str, findings: int = 0) -> float:
    """Alignment from shared words and the purpose/push vocabularies (0–1)."""
    purpose_words, push_words, stop = _vocabularies()
    stems = _content_stems(text, stop)
    if not stems:
        return 0.0
    goal = set(_content_stems(purpose, stop))
    present = set(stems)
    # Speaking of a few of the purpose's own words is a strong signal; each extra
    # shared word counts for less.
    shared = len(goal & present)
    echo = 1.0 - 0.6**shared if goal else 0.0
    n = len(stems)
    need = sum(1 for s in stems if s in purpose_words) / n
    push = sum(1 for s in stems if s in push_words) / n
    raw = 0.25 + 0.45 * echo + 1.2 * need - 1.5 * push - 0.15 * findings
    return round(_clamp(raw), 3)


def alignment(
    text: str, purpose: str, findings: int = 0, embedder: Embedder | None = None
) -> tuple[float, str]:
    """(score, method) for ``text`` against ``purpose``.

    With an embedder, the score averages the lexical score and an embedding score
    (cosine of purpose and text, lowered for push words and findings): on the
    project's aligned/unaligned pairs, the blend ranks better than either alone,
    because embeddings see topic while the vocabularies see push.
    """
    lexical = lexical_alignment(text, purpose, findings)
    if embedder is None:
        return lexical, "lexical"
    purpose_vec, text_vec = embedder.embed([purpose, text])
    cosine = sum(a * b for a, b in zip(purpose_vec, text_vec, strict=True))
    _, push_words, stop = _vocabularies()
    stems = _content_stems(text, stop)
    push = sum(1 for s in stems if s in push_words) / len(stems) if stems else 0.0
    # cosines of related sentences sit roughly between 0.1 and 0.65 for MiniLM
    semantic = _clamp((cosine - 0.1) / 0.55 - 0.8 * push - 0.15 * findings)
    return round((semantic + lexical) / 2, 3), f"semantic:{embedder.name}"
