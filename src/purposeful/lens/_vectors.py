"""MiniLM's static token vectors as the classifier uses them, in plain Python.

The classifier's dense feature is a sentence's mean token vector, normalised to
unit length: on copy without digits, the sentence vector the alignment embedder
gives (see ``_semantic.py``); the classifier reads its words with digits folded to
0. Tokens come from :class:`~purposeful.lens._wordpiece.WordPiece` word by word,
and each word's summed vector is cached, so a sentence costs one addition per word
once its words have been seen. The vectors stay int8, one scale per token, until a
word needs them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat
from operator import add, mul
from pathlib import Path
from typing import Any

from ._wordpiece import WordPiece

__all__ = ["TokenTable", "static_model_table"]

_CACHE_LIMIT = 200_000


class TokenTable:
    """Token vectors by WordPiece token: ``vectors`` holds ``dims`` int8 per token."""

    def __init__(self, tokens: list[str], vectors: Any, scales: Any, dims: int) -> None:
        self.tokens = tokens
        self.vectors = vectors  # a flat int8 buffer: token id * dims onwards
        self.scales = scales  # one float per token
        self.dims = dims
        self.wordpiece = WordPiece(dict(zip(tokens, range(len(tokens)), strict=True)))
        self._words: dict[str, tuple[list[float], int]] = {}
        self._known: dict[str, list[int]] = {}

    def known(self, word: str) -> list[int]:
        """The ids of ``word``'s tokens that have a vector (not [UNK])."""
        ids = self._known.get(word)
        if ids is None:
            unk = self.wordpiece.unk_id
            ids = [t for t in self.wordpiece.ids(word) if t != unk]
            if len(self._known) < _CACHE_LIMIT:
                self._known[word] = ids
        return ids

    def word(self, word: str) -> tuple[list[float], int]:
        """The sum of the vectors of ``word``'s known tokens, and their number."""
        cached = self._words.get(word)
        if cached is not None:
            return cached
        dims = self.dims
        total: list[float] | None = None
        count = 0
        for token in self.known(word):
            row = self.vectors[token * dims : (token + 1) * dims].tolist()
            scaled = list(map(mul, row, repeat(self.scales[token], dims)))
            total = scaled if total is None else list(map(add, total, scaled))
            count += 1
        if total is None:
            total = [0.0] * dims
        if len(self._words) < _CACHE_LIMIT:
            self._words[word] = (total, count)
        return total, count

    def total(self, words: Iterable[str]) -> list[float] | None:
        """The sum of the vectors of the words' known tokens (None without one).

        Its direction is that of the mean; callers normalise it.
        """
        total: list[float] | None = None
        for word in words:
            vector, n = self.word(word)
            if n:
                total = vector if total is None else list(map(add, total, vector))
        return total

    def mean(self, words: Iterable[str]) -> list[float] | None:
        """The unit-length mean vector of the words' tokens (None without a token)."""
        total = self.total(words)
        if total is None:
            return None
        norm = math.sqrt(sum(map(mul, total, total)))
        return [v / norm for v in total] if norm else None


@lru_cache(maxsize=1)
def static_model_table(path: str | Path | None = None) -> TokenTable:
    """The table of the shipped static model file (``minilm-static.npz``; numpy).

    Training reads it here and writes it into every model it saves, so that
    reviewing reads only the model file.
    """
    import json

    import numpy as np

    from ._semantic import shipped_embedding_path

    with (
        open(path or shipped_embedding_path(), "rb") as fh,
        np.load(fh, allow_pickle=False) as data,
    ):
        vocab: dict[str, int] = json.loads(bytes(data["tokenizer"]).decode("utf-8"))[
            "model"
        ]["vocab"]
        vectors = data["vectors"].astype(np.int8)
        scales = data["scales"].astype(np.float32)
    tokens = [""] * len(vocab)
    for token, index in vocab.items():
        tokens[index] = token
    return TokenTable(
        tokens,
        memoryview(vectors.tobytes()).cast("b"),
        memoryview(scales.tobytes()).cast("f"),
        int(vectors.shape[1]),
    )
