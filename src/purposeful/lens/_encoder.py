"""A fine-tuned MiniLM that reads each sentence as a whole (the ``encoder`` option).

The shipped classifier (``_model.py``) weighs words, word pairs and static token
vectors: fast and pure Python, but a fear appeal or a vanity promise written in
words it has not seen escapes it. This model is all-MiniLM-L6-v2 with a category
head, fine-tuned end to end on the same labelled corpus, so it reads word order and
context. It ships as ONNX with int8 weights (one scale per output channel) in
``data/encoder/`` and runs on ``onnxruntime``; tokens come from the plain-Python
:class:`~purposeful.lens._wordpiece.WordPiece` over MiniLM's own vocabulary.
``training/build_encoder_model.py`` rebuilds it.

It costs milliseconds a sentence where the classifier costs microseconds, so a lens
uses it only when its configuration says ``encoder = true``: the web app does, for
copy members write; ``purposeful review`` does with ``--encoder``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._modelfile import ModelError
from ._wordpiece import WordPiece

__all__ = ["Encoder", "encoder_available", "load_encoder", "shipped_encoder_dir"]

_BATCH = 32
_CACHE_LIMIT = 50_000


def shipped_encoder_dir() -> Path:
    """Where the fine-tuned encoder lives in the package."""
    return Path(__file__).with_name("data") / "encoder"


@lru_cache(maxsize=1)
def encoder_available() -> bool:
    """Whether ``onnxruntime`` is installed and the model file is present.

    Found without importing onnxruntime: that costs a tenth of a second, and only a
    review that reads a sentence needs it.
    """
    from importlib.util import find_spec

    return (
        find_spec("onnxruntime") is not None
        and (shipped_encoder_dir() / "model.onnx").is_file()
    )


class Encoder:
    """Class probabilities for sentences, in the order of ``classes``."""

    name = "minilm-finetuned"

    def __init__(
        self,
        session: Any,
        wordpiece: WordPiece,
        classes: list[str],
        *,
        max_tokens: int,
        cls_id: int,
        sep_id: int,
        prior: float,
        share: float,
    ) -> None:
        self._session = session
        self._wordpiece = wordpiece
        self.classes = classes
        self._max_tokens = max_tokens
        self._cls, self._sep = cls_id, sep_id
        self._cache: dict[str, list[float]] = {}
        # The corpus is about half manipulative, the copy people review mostly
        # honest: as for the classifier (training/README.md), the odds of
        # "manipulative" are moved from the corpus's share to the prior's.
        self._negative = classes.index("none") if "none" in classes else None
        self._odds = (prior / (1 - prior)) / (share / (1 - share))

    def probabilities(self, texts: Sequence[str]) -> list[list[float]]:
        """One probability per class for each text."""
        import numpy as np

        cache = self._cache
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            body = self._max_tokens - 2
            encoded = [
                [self._cls, *self._wordpiece.ids(t)[:body], self._sep] for t in missing
            ]
            # texts of like length share a batch, so little of it is padding
            order = sorted(range(len(missing)), key=lambda i: len(encoded[i]))
            for at in range(0, len(order), _BATCH):
                rows = order[at : at + _BATCH]
                width = max(len(encoded[i]) for i in rows)
                ids = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for r, i in enumerate(rows):
                    n = len(encoded[i])
                    ids[r, :n] = encoded[i]
                    mask[r, :n] = 1
                (logits,) = self._session.run(
                    ["logits"], {"input_ids": ids, "attention_mask": mask}
                )
                weights = np.exp(logits - logits.max(axis=1, keepdims=True))
                if self._negative is not None:
                    weights *= self._odds
                    weights[:, self._negative] /= self._odds
                probabilities = weights / weights.sum(axis=1, keepdims=True)
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                for r, i in enumerate(rows):
                    cache[missing[i]] = [float(p) for p in probabilities[r]]
        return [cache[t] for t in texts]


@lru_cache(maxsize=4)
def load_encoder(directory: str | None = None, threads: int = 1) -> Encoder:
    """The encoder in ``directory`` (the shipped one by default).

    ``threads`` is onnxruntime's intra-op thread count: one suits a web server's
    workers, which already run side by side. Raises :class:`ModelError` when
    onnxruntime is missing or the files are unreadable.
    """
    try:
        import onnxruntime
    except ImportError:
        raise ModelError(
            "the encoder needs onnxruntime: pip install 'purposeful[encoder]'"
        ) from None
    folder = Path(directory) if directory else shipped_encoder_dir()
    try:
        meta = json.loads((folder / "encoder.json").read_text(encoding="utf-8"))
        tokens = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        vocab = {token: i for i, token in enumerate(tokens)}
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initialisers are noise
        session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        classes = [str(c) for c in meta["classes"]]
        max_tokens = int(meta["max_tokens"])
        prior, share = float(meta["prior"]), float(meta["train_share"])
        wordpiece = WordPiece(vocab)
        cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{folder}: cannot read the encoder: {exc}") from None
    except Exception as exc:  # onnxruntime raises its own, unrelated, exception types
        raise ModelError(f"{folder}: cannot load the encoder: {exc}") from None
    if max_tokens < 8:
        raise ModelError(f"{folder}: encoder.json: max_tokens must be at least 8")
    if not (0 < prior < 1 and 0 < share < 1):
        raise ModelError(
            f"{folder}: encoder.json: prior and train_share must be in (0, 1)"
        )
    return Encoder(
        session,
        wordpiece,
        classes,
        max_tokens=max_tokens,
        cls_id=cls_id,
        sep_id=sep_id,
        prior=prior,
        share=share,
    )
