"""The lens classifier: features, the shipped model format and numpy inference.

A model is a logistic regression over six TF-IDF feature groups (word 1–2-grams;
character 2–5-grams within word boundaries, lower-cased and as written; a few shape
features; the first and last word; the rule-pack rules that match) and one dense
group, the mean of MiniLM's static token vectors (see ``_semantic.py``), which
brings what a pre-trained model knows about words the training data never showed.
An optional binary "manipulative or not" head shares the features. A model is
stored as an ``.npz`` of plain arrays (vocabulary, idf, weights) rather
than a pickle, so loading it runs no code and works across library versions;
inference needs only numpy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from zipfile import BadZipFile

if TYPE_CHECKING:
    import numpy as np

    from ._rules import Rule

__all__ = [
    "EMBEDDING_WEIGHT",
    "GROUPS",
    "GROUP_WEIGHTS",
    "LensModel",
    "ModelError",
    "Rows",
    "embed",
    "encode",
    "features",
    "group_of_columns",
    "load_model",
    "rule_hits",
    "shipped_model_path",
    "softmax",
    "weigh",
]

#: Feature groups; each is weighted and length-normalised separately, like a
#: scikit-learn FeatureUnion of TfidfVectorizers.
GROUPS = ("word", "char", "cased", "shape", "edge", "rule")
#: How much each group counts after its normalisation, and the static vector's
#: weight: chosen by the mean accuracy of stratified 5-fold cross-validation over
#: five shuffles on ec-darkpattern (benchmarks/lens_quality.py); words count more
#: than character n-grams, which mostly help with spelling variants.
GROUP_WEIGHTS = (2.0, 0.5, 1.0, 1.0, 1.0, 1.0)
EMBEDDING_WEIGHT = 0.5
FORMAT_VERSION = 3

_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z0]+(?:'[a-z]+)?|[%$£€!?#]")
_TIME = re.compile(r"\d\s*:\s*\d\d")


def _grams(word: str) -> list[str]:
    padded = f" {word} "
    size = len(padded)
    return [padded[i : i + n] for n in (2, 3, 4, 5) for i in range(size - n + 1)]


def _split(text: str) -> tuple[str, str, list[str]]:
    """(spaced, digit-folded, lower-case words) of ``text``."""
    spaced = " ".join(text.replace("’", "'").split())
    cased = _DIGIT.sub("0", spaced)
    return spaced, cased, _WORD.findall(cased.lower())


def _word_feats(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _shape_feats(spaced: str, cased: str, words: list[str]) -> list[str]:
    shape = [f"len{min(len(words), 12)}"]
    letters = [c for c in spaced if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        shape.append("caps")
    if "0" in cased:
        shape.append("digit")
    if _TIME.search(spaced):
        shape.append("time")
    for mark, name in (("%", "pct"), ("!", "excl"), ("?", "quest")):
        if mark in spaced:
            shape.append(name)
    if spaced.istitle():
        shape.append("title")
    return shape


def _edge_feats(words: list[str]) -> list[str]:
    return [f"^{words[0]}", f"{words[-1]}$"] if words else []


@lru_cache(maxsize=1)
def _shipped_rules() -> Any:
    from ._rules import RuleSet, load_categories

    categories, rules = load_categories()
    return RuleSet(categories, rules).compile()


def rule_hits(text: str) -> list[Rule]:
    """The shipped rule-pack rules that match ``text`` (whatever a config disables)."""
    return [match.rule for match in _shipped_rules().scan(text)]


def _rule_feats(hits: Sequence[Rule]) -> list[str]:
    feats = [f"r:{rule.name}" for rule in hits]
    feats.extend(f"c:{rule.category}" for rule in hits)
    if hits:
        feats.append("any")
    return feats


def features(text: str, hits: Sequence[Rule] | None = None) -> tuple[list[str], ...]:
    """The features of ``text``, one list per group in ``GROUPS`` order.

    Digits are folded to ``0`` so that "3 left" and "7 left" share features.
    ``hits`` are the rules matching ``text`` when the caller has scanned it already.
    """
    spaced, cased, words = _split(text)
    chars: list[str] = []
    cased_chars: list[str] = []
    for word in cased.split():
        low = word.lower()
        grams = _grams(low)
        chars.extend(grams)
        # a lower-case word has the same cased grams: reuse rather than slice again
        cased_chars.extend(grams if low == word else _grams(word))
    return (
        _word_feats(words),
        chars,
        cased_chars,
        _shape_feats(spaced, cased, words),
        _edge_feats(words),
        _rule_feats(rule_hits(text) if hits is None else hits),
    )


def encode(
    text: str, vocab: Sequence[dict[str, int]], hits: Sequence[Rule] | None = None
) -> list[int]:
    """Column of every feature of ``text`` (-1 when unknown), all groups together.

    Columns are unique across groups, so one flat list keeps everything needed.
    """
    missing = repeat(-1)
    cols: list[int] = []
    for feats, group in zip(features(text, hits), vocab, strict=True):
        cols.extend(map(group.get, feats, missing))
    return cols


def group_of_columns(vocab: Sequence[dict[str, int]]) -> np.ndarray:
    """The feature group of every column."""
    import numpy as np

    groups = np.zeros(sum(len(v) for v in vocab), dtype=np.int64)
    for index, group in enumerate(vocab):
        groups[list(group.values())] = index
    return groups


def weigh(
    rows: Sequence[Sequence[int]],
    idf: np.ndarray,
    group_of: np.ndarray,
    group_weights: Sequence[float] = GROUP_WEIGHTS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sublinear TF-IDF of encoded rows in CSR form: (indptr, columns, values).

    Unknown features (-1) are dropped; each group is L2-normalised on its own, like
    a scikit-learn FeatureUnion of TfidfVectorizers, then scaled by its weight.
    """
    import numpy as np

    n = len(rows)
    n_features = len(idf)
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=n)
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=lengths.sum())
    row = np.repeat(np.arange(n), lengths)
    known = flat >= 0
    # one sort counts every (row, feature) pair of the batch, in CSR order
    keys, counts = np.unique(row[known] * n_features + flat[known], return_counts=True)
    row, cols = np.divmod(keys, n_features)
    values = (1.0 + np.log(counts)) * idf[cols]
    n_groups = len(GROUPS)
    groups = group_of[cols]
    seg = row * n_groups + groups
    norms = np.sqrt(np.bincount(seg, weights=values * values, minlength=n * n_groups))
    values = values / norms[seg] * np.asarray(group_weights)[groups]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
    return indptr, cols, values


class Rows(NamedTuple):
    """Weighted feature rows of a batch: sparse CSR arrays and the dense vectors."""

    indptr: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    dense: np.ndarray | None  # (n, dims), already scaled by the embedding weight


def _linear(
    rows: Rows,
    coef: np.ndarray,
    intercept: np.ndarray,
    dense_coef: np.ndarray | None,
    subset: np.ndarray | None = None,
) -> np.ndarray:
    """``rows @ coef + intercept`` for a batch, optionally only the ``subset`` rows."""
    import numpy as np

    indptr, cols, vals, dense = rows
    if subset is not None:
        starts, ends = indptr[subset], indptr[subset + 1]
        take = np.concatenate(
            [np.arange(a, b) for a, b in zip(starts, ends, strict=True)]
            or [np.zeros(0, dtype=np.int64)]
        )
        indptr = np.concatenate([[0], np.cumsum(ends - starts)])
        cols, vals = cols[take], vals[take]
        dense = dense[subset] if dense is not None else None
    n = len(indptr) - 1
    out = np.tile(intercept, (n, 1))
    if len(cols):
        contrib = coef[cols] * vals[:, None]
        nonempty = np.flatnonzero(np.diff(indptr))
        out[nonempty] += np.add.reduceat(contrib, indptr[nonempty], axis=0)
    if dense is not None and dense_coef is not None and n:
        out += dense @ dense_coef
    return out


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise class probabilities from decision scores."""
    import numpy as np

    if scores.shape[1] == 1:  # a binary model stores one column, for the positive class
        p = 1.0 / (1.0 + np.exp(-scores[:, 0]))
        return np.stack([1.0 - p, p], axis=1)
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return probabilities


class ModelError(ValueError):
    """A model file is missing, unreadable or of an unknown format."""


def embed(texts: Sequence[str], weight: float = EMBEDDING_WEIGHT) -> np.ndarray:
    """The dense group of ``texts``: mean static token vectors, scaled by ``weight``."""
    from ._semantic import shipped_token_vectors

    vectors: np.ndarray = shipped_token_vectors().means(texts) * weight
    return vectors


@dataclass(slots=True)
class LensModel:
    """A trained linear model; ``classes`` may be ids, ``"none"``, or ``"0"``/``"1"``."""

    vocab: list[dict[str, int]]  # per group: feature -> column
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features, n_classes)
    intercept: np.ndarray  # (n_classes,)
    classes: list[str]
    meta: dict[str, Any]
    #: A binary "manipulative or not" head over the same features. With it, a batch
    #: costs one weight per feature instead of one per class; the class weights are
    #: then only applied to the few texts it flags.
    detector: np.ndarray | None = None
    detector_intercept: float = 0.0
    #: Weights of the dense group (the mean static token vector), when the model
    #: has one: (dims, n_classes), and (dims,) for the detector.
    dense_coef: np.ndarray | None = None
    dense_detector: np.ndarray | None = None
    group_weights: tuple[float, ...] = GROUP_WEIGHTS
    embedding_weight: float = EMBEDDING_WEIGHT
    _words: dict[str, list[int]] = field(default_factory=dict)
    _group_of: np.ndarray | None = None

    @property
    def negative_class(self) -> str:
        """The class that means "nothing to report"."""
        for name in ("none", "0", "ok", "negative"):
            if name in self.classes:
                return name
        return self.classes[0]

    def rows(
        self,
        texts: Sequence[str],
        hits: Sequence[Sequence[Rule]] | None = None,
        *,
        dense: bool = True,
    ) -> Rows:
        """The weighted feature rows of ``texts``.

        ``hits`` are the rules matching each text when the caller has scanned them;
        ``dense=False`` leaves the static vectors out (see :meth:`screen`).
        """
        if self._group_of is None:
            self._group_of = group_of_columns(self.vocab)
        encoded = (
            [self.encode(t) for t in texts]
            if hits is None
            else [self.encode(t, h) for t, h in zip(texts, hits, strict=True)]
        )
        indptr, cols, vals = weigh(
            encoded, self.idf, self._group_of, self.group_weights
        )
        vectors = (
            embed(texts, self.embedding_weight)
            if dense and self.dense_coef is not None
            else None
        )
        return Rows(indptr, cols, vals, vectors)

    def screen(
        self,
        texts: Sequence[str],
        hits: Sequence[Sequence[Rule]] | None = None,
        *,
        floor: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The texts that may be manipulative, with their class probabilities.

        Returns the indices of the texts whose detector probability reaches
        ``floor`` and the full model's probabilities for them. The static vectors
        are unit length, so they can move the detector's margin by at most
        ``|dense_detector| * embedding_weight``: only texts within that reach of
        ``floor`` need them, which spares most texts of a batch the tokeniser.
        """
        import numpy as np

        if self.detector is None or self.dense_detector is None:
            rows = self.rows(texts, hits)
            chosen = np.flatnonzero(self.manipulation(rows) >= floor)
            return chosen, softmax(self.row_scores(rows, subset=chosen))
        rows = self.rows(texts, hits, dense=False)
        cut = float(np.log(floor / (1.0 - floor)))
        margin = _linear(
            rows, self.detector[:, None], np.asarray([self.detector_intercept]), None
        )[:, 0]
        reach = float(np.linalg.norm(self.dense_detector)) * self.embedding_weight
        maybe = np.flatnonzero(margin + reach >= cut)
        vectors = np.zeros((len(texts), len(self.dense_detector)), dtype=np.float32)
        if maybe.size:
            vectors[maybe] = embed(
                [texts[i] for i in maybe.tolist()], self.embedding_weight
            )
            margin[maybe] += vectors[maybe] @ self.dense_detector
        chosen = maybe[margin[maybe] >= cut]
        rows = rows._replace(dense=vectors)
        return chosen, softmax(self.row_scores(rows, subset=chosen))

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Decision scores, shape (len(texts), n_classes)."""
        return self.row_scores(self.rows(texts))

    def row_scores(self, rows: Rows, subset: np.ndarray | None = None) -> np.ndarray:
        """Decision scores of a batch (optionally only the ``subset`` rows)."""
        return _linear(rows, self.coef, self.intercept, self.dense_coef, subset)

    def manipulation(self, rows: Rows) -> np.ndarray:
        """Probability that each row is manipulative (any class but the negative)."""
        import numpy as np

        if self.detector is None:
            negative = self.classes.index(self.negative_class)
            return 1.0 - softmax(self.row_scores(rows))[:, negative]
        margin = _linear(
            rows,
            self.detector[:, None],
            np.asarray([self.detector_intercept]),
            None if self.dense_detector is None else self.dense_detector[:, None],
        )
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-margin[:, 0]))
        return probability

    def encode(self, text: str, hits: Sequence[Rule] | None = None) -> list[int]:
        """Like :func:`encode`, with the character n-grams of each word cached.

        Words repeat across texts, so looking a word up once replaces slicing and
        looking up its ~40 n-grams every time; the result is the same columns.
        """
        spaced, cased, words = _split(text)
        word_vocab, char_vocab, cased_vocab, shape_vocab, edge_vocab, rule_vocab = (
            self.vocab
        )
        missing = repeat(-1)
        cols = list(map(word_vocab.get, _word_feats(words), missing))
        cache = self._words
        for word in cased.split():
            entry = cache.get(word)
            if entry is None:
                low = word.lower()
                grams = _grams(low)
                cased_grams = grams if low == word else _grams(word)
                # unknown grams stay as -1: weigh() drops them in one numpy step
                entry = list(map(char_vocab.get, grams, missing))
                entry.extend(map(cased_vocab.get, cased_grams, missing))
                if len(cache) < 200_000:
                    cache[word] = entry
            cols.extend(entry)
        cols.extend(map(shape_vocab.get, _shape_feats(spaced, cased, words), missing))
        cols.extend(map(edge_vocab.get, _edge_feats(words), missing))
        if rule_vocab:
            rules = rule_hits(text) if hits is None else hits
            cols.extend(map(rule_vocab.get, _rule_feats(rules), missing))
        return cols

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities (softmax of scores; sigmoid for a binary model)."""

        return softmax(self.scores(texts))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most likely class of each text."""
        probs = self.probabilities(texts)
        return [self.classes[i] for i in probs.argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        """Write the model as an ``.npz`` of plain arrays."""
        import numpy as np

        names: list[str] = []
        groups: list[int] = []
        for g, vocab in enumerate(self.vocab):
            for feat, col in sorted(vocab.items(), key=lambda kv: kv[1]):
                if col != len(names):
                    raise ModelError("vocabulary columns must be contiguous")
                names.append(feat)
                groups.append(g)
        meta = {k: v for k, v in self.meta.items() if not k.startswith("_")}
        meta["format"] = FORMAT_VERSION
        meta["group_weights"] = list(self.group_weights)
        meta["embedding_weight"] = self.embedding_weight
        arrays: dict[str, Any] = {
            # one UTF-8 blob, not a fixed-width unicode array: ten times smaller to
            # read, and reading is most of what loading a model costs a command
            "features": np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8),
            "groups": np.asarray(groups, dtype=np.int8),
            "idf": self.idf.astype(np.float32),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
            "classes": np.asarray(self.classes, dtype=str),
            "meta": np.asarray(json.dumps(meta)),
        }
        if self.detector is not None:
            arrays["detector"] = self.detector.astype(np.float32)
            arrays["detector_intercept"] = np.float32(self.detector_intercept)
        if self.dense_coef is not None:
            arrays["dense_coef"] = self.dense_coef.astype(np.float32)
        if self.dense_detector is not None:
            arrays["dense_detector"] = self.dense_detector.astype(np.float32)
        with open(path, "wb") as fh:
            # uncompressed: 2 MB on disk, read in half the time of inflating it
            np.savez(fh, **arrays)


def load_model(path: str | Path) -> LensModel:
    """Read a model written by :meth:`LensModel.save` (no pickle is ever loaded)."""
    import numpy as np

    def optional(data: Any, key: str) -> np.ndarray | None:
        return data[key].astype(np.float32) if key in data else None

    try:
        # open the file ourselves so it is closed even when numpy rejects it
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as data:
            names = bytes(data["features"]).decode("utf-8").split("\n")
            groups = data["groups"].tolist()
            idf = data["idf"].astype(np.float64)
            coef = data["coef"].astype(np.float32)
            intercept = data["intercept"].astype(np.float64)
            classes = [str(c) for c in data["classes"].tolist()]
            meta = json.loads(str(data["meta"]))
            detector = optional(data, "detector")
            bias = (
                float(data["detector_intercept"])
                if "detector_intercept" in data
                else 0.0
            )
            dense_coef = optional(data, "dense_coef")
            dense_detector = optional(data, "dense_detector")
    except FileNotFoundError:
        raise ModelError(f"{path}: model file not found") from None
    except (OSError, KeyError, ValueError, EOFError, AttributeError, BadZipFile) as exc:
        raise ModelError(
            f"{path}: not a lens model ({exc or type(exc).__name__})"
        ) from None
    if meta.get("format") != FORMAT_VERSION:
        raise ModelError(
            f"{path}: unsupported model format {meta.get('format')!r}; "
            "train it again with `purposeful lens train`"
        )
    vocab: list[dict[str, int]] = [{} for _ in GROUPS]
    for col, (name, group) in enumerate(zip(names, groups, strict=True)):
        vocab[group][name] = col
    return LensModel(
        vocab,
        idf,
        coef,
        intercept,
        classes,
        meta,
        detector,
        bias,
        dense_coef,
        dense_detector,
        tuple(meta.get("group_weights", GROUP_WEIGHTS)),
        float(meta.get("embedding_weight", EMBEDDING_WEIGHT)),
    )


def shipped_model_path() -> Path:
    """Where the model trained on the project's own corpus lives in the package."""
    return Path(__file__).with_name("data") / "lens-model.npz"
