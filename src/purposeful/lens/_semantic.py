"""Sentence embeddings for purpose alignment (the ``semantic`` extra).

The model is all-MiniLM-L6-v2 distilled into static token vectors (model2vec, PCA to
128 dimensions, int8), shipped in ``data/minilm-static.npz`` and rebuilt by
``training/build_semantic_model.py``. A sentence's vector is the mean of its tokens'
vectors, so embedding needs only numpy and the small ``tokenizers`` package, which
the ``semantic`` extra installs; without it the lens falls back to lexical alignment.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = ["StaticEmbedder", "load_embedder", "shipped_embedding_path"]


def shipped_embedding_path() -> Path:
    """Where the distilled embedding model lives in the package."""
    return Path(__file__).with_name("data") / "minilm-static.npz"


class StaticEmbedder:
    """Static-token sentence embeddings: tokenise, average token vectors, normalise."""

    name = "minilm-static"

    def __init__(
        self, vectors: np.ndarray, tokenizer: Any, unk_token_id: int | None
    ) -> None:
        self._vectors = vectors
        self._tokenizer = tokenizer
        self._unk = unk_token_id
        self._cache: dict[str, list[float]] = {}

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One L2-normalised vector per text (zeros for a text with no known token)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        fresh: dict[str, list[float]] = {}
        if missing:
            for text, vector in zip(missing, self.embed_array(missing), strict=True):
                fresh[text] = vector.tolist()
        # read before the cache may be cleared below, which a long batch would
        # otherwise empty of its own first texts
        result = [fresh[t] if t in fresh else self._cache[t] for t in texts]
        # purposes repeat for every text reviewed against them
        if len(self._cache) + len(fresh) > 10_000:
            self._cache.clear()
        if len(fresh) <= 10_000:
            self._cache.update(fresh)
        return result

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``embed`` as one float32 array, without the cache.

        For many texts at once (sensing groups 200,000): the token vectors are
        summed per text with one ``np.add.reduceat``.
        """
        import numpy as np

        dims = self._vectors.shape[1]
        out = np.zeros((len(texts), dims), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        ids: list[int] = []
        starts: list[int] = []
        rows: list[int] = []
        for row, encoding in enumerate(encodings):
            known = [i for i in encoding.ids[:512] if i != self._unk]
            if known:
                rows.append(row)
                starts.append(len(ids))
                ids.extend(known)
        if not ids:
            return out
        sums = np.add.reduceat(self._vectors[np.asarray(ids)], np.asarray(starts))
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[np.asarray(rows)] = sums / np.where(norms == 0, 1, norms)
        return out


def load_embedder(path: str | Path | None = None) -> StaticEmbedder | None:
    """The shipped embedder, or None when ``tokenizers`` or the model is missing."""
    try:
        from tokenizers import (  # type: ignore[import-not-found, unused-ignore]
            Tokenizer,
        )
    except ImportError:
        return None
    if path is None:
        return _shipped_embedder()
    return _read(path, Tokenizer)


@lru_cache(maxsize=1)
def _shipped_embedder() -> StaticEmbedder | None:
    # every Lens shares the shipped model: it takes ~50 ms to read
    from tokenizers import (  # type: ignore[import-not-found, unused-ignore]
        Tokenizer,
    )

    return _read(shipped_embedding_path(), Tokenizer)


def _read(path: str | Path, tokenizer_class: Any) -> StaticEmbedder | None:
    import numpy as np

    try:
        with (
            open(path, "rb") as fh,
            np.load(fh, allow_pickle=False) as data,
        ):
            scales = data["scales"].astype(np.float32)
            vectors = data["vectors"].astype(np.float32) * scales[:, None]
            tokenizer = tokenizer_class.from_str(
                bytes(data["tokenizer"]).decode("utf-8")
            )
            meta = json.loads(str(data["meta"]))
    except (OSError, KeyError, ValueError, EOFError):
        return None  # an unusable model file: the lexical fallback still works
    return StaticEmbedder(vectors, tokenizer, meta.get("unk_token_id"))
