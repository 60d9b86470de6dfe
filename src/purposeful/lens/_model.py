"""The lens classifier: its features and its inference, in plain Python.

A model is a logistic regression over six TF-IDF feature groups (word 1–2-grams;
character 3- and 4-grams within word boundaries, lower-cased and as written; a few shape
features; the first and last word; the rule-pack rules that match) and one dense
group, the unit-length mean of MiniLM's static token vectors (see ``_vectors.py``),
which brings what a pre-trained model knows about words the training data never
showed. A multi-class model also has a binary "manipulative or not" head over the
same features, which screens a batch before the class heads name a category.

Each group is weighted and normalised on its own, like a scikit-learn FeatureUnion,
in a form chosen so that inference is additive: a feature occurring ``c`` times
counts ``c * idf * nb`` (``nb`` its naive-Bayes weight, below), divided by the
group's length ``sqrt(sum(c * idf**2))``. A word's character n-grams and tokens
therefore add the same amounts wherever the word appears, and a batch is scored
with one cached look-up per word, without numpy: ``purposeful review`` never
imports it. The model file (``_modelfile.py``) holds plain arrays and runs no code
when loaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import add, itemgetter, mul
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._modelfile import ModelError, read_model_file, write_model_file
from ._vectors import TokenTable

if TYPE_CHECKING:
    from ._rules import Rule

__all__ = [
    "EMBEDDING_WEIGHT",
    "GROUPS",
    "GROUP_WEIGHTS",
    "NB_POWER",
    "LensModel",
    "ModelError",
    "features",
    "load_model",
    "rule_hits",
    "shipped_model_path",
    "softmax",
]

#: Feature groups; each is weighted and length-normalised separately.
GROUPS = ("word", "char", "cased", "shape", "edge", "rule")
#: How much each group counts after its normalisation, the static vector's weight,
#: and the power of the naive-Bayes log-count ratio that scales each feature (as in
#: NBSVM: a feature seen mostly on one side counts more): chosen by the mean
#: accuracy of stratified 5-fold cross-validation over five shuffles on
#: ec-darkpattern (benchmarks/lens_quality.py). Words count more than character
#: n-grams, which mostly help with spelling variants.
GROUP_WEIGHTS = (2.0, 0.5, 1.0, 1.0, 1.0, 1.0)
EMBEDDING_WEIGHT = 0.5
NB_POWER = 0.25
FORMAT_VERSION = 4

_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z0]+(?:'[a-z]+)?|[%$£€!?#]")
_TIME = re.compile(r"\d\s*:\s*\d\d")
_WORD_GROUP, _CHAR_GROUP, _CASED_GROUP = 0, 1, 2
_CACHE_LIMIT = 200_000
_PUNCTUATION = ".,;:!?\"'()[]{}…“”‘’«»*_-–—"


def _grams(word: str) -> list[str]:
    """The 3- and 4-grams of `` word `` (a space at each end), the 4-grams built
    from the 3-grams: shorter n-grams said little, longer ones added nothing."""
    padded = f" {word} "
    three = list(map(add, map(add, padded, padded[1:]), padded[2:]))
    return three + list(map(add, three, padded[3:]))


def _split(text: str) -> tuple[str, str, list[str]]:
    """(spaced, digit-folded, lower-case words) of ``text``."""
    spaced = " ".join(text.replace("’", "'").split())
    cased = _DIGIT.sub("0", spaced)
    return spaced, cased, _WORD.findall(cased.lower())


def _word_feats(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _char_feats(word: str) -> tuple[list[str], list[str]]:
    """(lower-case, as written) n-grams of one digit-folded word."""
    low = word.lower()
    grams = _grams(low)
    return grams, grams if low == word else _grams(word)


def _shape_feats(spaced: str, cased: str, words: list[str]) -> list[str]:
    shape = [f"len{min(len(words), 12)}"]
    letters = sum(map(str.isalpha, spaced))
    if letters and sum(map(str.isupper, spaced)) > 0.6 * letters:
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
        grams, cased_grams = _char_feats(word)
        chars.extend(grams)
        cased_chars.extend(cased_grams)
    return (
        _word_feats(words),
        chars,
        cased_chars,
        _shape_feats(spaced, cased, words),
        _edge_feats(words),
        _rule_feats(rule_hits(text) if hits is None else hits),
    )


def words_of(text: str) -> list[str]:
    """The whitespace-separated, digit-folded words whose tokens make the dense
    feature (the words whose character n-grams the model reads)."""
    return _split(text)[1].split()


def softmax(scores: Sequence[float]) -> list[float]:
    """Class probabilities from one text's class scores (one score: a sigmoid)."""
    if len(scores) == 1:  # a binary model scores the positive class only
        p = _sigmoid(scores[0])
        return [1.0 - p, p]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class _Word:
    """One digit-folded word, as the detector sees it.

    (A plain class: a dataclass costs every review command its creation time.)
    """

    __slots__ = (
        "across",
        "along",
        "cased_norm",
        "cased_score",
        "cols",
        "heads",
        "norm",
        "score",
        "word",
    )

    def __init__(self, word: str, chars: complex, cased: complex) -> None:
        self.word = word
        self.norm = chars.real  # sum of idf² over its lower-case n-grams
        self.score = chars.imag  # sum of the detector's weights over them
        self.cased_norm = cased.real  # the same for its n-grams as written
        self.cased_score = cased.imag
        # sums over its tokens of their dot products with the detector's dense
        # weights and with the anchor, once needed (see LensModel._dense_bound)
        self.along: float | None = None
        self.across = 0.0
        #: the columns of its n-grams, once a text with the word needs every head
        self.cols: tuple[list[int], list[int]] | None = None
        #: then, per head, the sums of its lower-case n-gram weights, of its
        #: as-written ones and of its tokens' dense projections, head by head
        self.heads: list[float] | None = None


class _Parsed:
    """A text's known feature columns by group, and its words."""

    __slots__ = ("small", "vector", "words")

    def __init__(self, words: list[_Word], small: list[tuple[int, list[int]]]):
        self.words = words
        self.small = small  # (group, columns) of the word, shape, edge, rule groups
        #: the sum of its token vectors and that sum's length, once needed
        self.vector: tuple[list[float], float] | None = None


@dataclass(slots=True)
class LensModel:
    """A trained linear model over the lens features.

    ``weights`` holds, head by head, one weight per feature, already multiplied by
    the feature's idf and naive-Bayes weight; heads are the class scores (one for
    a binary model, which scores its positive class), then the detector when the
    model has one. ``dense`` holds the static vector's weights, head by head;
    ``token_heads`` their dot product with every token's vector.
    """

    vocab: list[dict[str, int]]  # per group: feature -> column
    norms: Any  # per column: idf², the feature's share of its group's length
    weights: Any  # (heads * n_features) floats
    intercepts: list[float]  # per head
    classes: list[str]
    meta: dict[str, Any]
    heads: int
    class_heads: int  # the first heads score the classes
    detector: int  # the head that says "manipulative"
    dense: Any = None  # (heads * dims) floats, or None without a dense group
    table: TokenTable | None = None
    #: Per token: its vector's dot product with each head's dense weights (token
    #: by token, head by head), and with ``anchor``, a unit vector near every
    #: sentence vector (see ``_dense_bound``).
    token_heads: Any = None
    token_anchor: Any = None
    group_weights: tuple[float, ...] = GROUP_WEIGHTS
    embedding_weight: float = EMBEDDING_WEIGHT
    _words: dict[str, _Word] = field(default_factory=dict)
    _head_weights: list[Any] = field(default_factory=list)
    _reach: float = 0.0
    _token_detector: Any = None
    _norms: list[float] = field(default_factory=list)
    _detector_weights: list[float] = field(default_factory=list)
    #: per character group: n-gram -> complex(idf², detector weight)
    _gram_tables: list[dict[str, complex]] = field(default_factory=list)

    @property
    def negative_class(self) -> str:
        """The class that means "nothing to report"."""
        return negative_class_of(self.classes)

    @property
    def n_features(self) -> int:
        """How many sparse features the model reads."""
        return sum(len(v) for v in self.vocab)

    # -- scoring -------------------------------------------------------------
    def __post_init__(self) -> None:
        n = len(self.norms)
        self._head_weights = [
            self.weights[h * n : (h + 1) * n] for h in range(self.heads)
        ]
        # the hot path reads these two for every new word: lists index fastest
        self._norms = list(self.norms)
        self._detector_weights = list(self._head_weights[self.detector])
        if self.dense is not None and self.table is not None:
            if self.token_heads is None or self.token_anchor is None:
                raise ModelError("a dense group needs its token projections")
            dims, d = self.table.dims, self.detector
            # the dense vector has unit length, so it moves the detector's score by
            # at most the length of the detector's dense weights
            weights = self.dense[d * dims : (d + 1) * dims]
            self._reach = self.embedding_weight * math.sqrt(sum(w * w for w in weights))
            self._token_detector = self.token_heads[d :: self.heads]

    def _word(self, word: str) -> _Word:
        """What one digit-folded word's character n-grams add to the detector."""
        entry = self._words.get(word)
        if entry is not None:
            return entry
        if not self._gram_tables:
            # A complex number carries both values of an n-gram, so that one
            # C-level sum adds both up for a new word.
            both = list(map(complex, self._norms, self._detector_weights))
            for group in (_CHAR_GROUP, _CASED_GROUP):
                vocab = self.vocab[group]
                taken = map(both.__getitem__, vocab.values())
                self._gram_tables.append(dict(zip(vocab, taken, strict=True)))
        chars, cased = self._gram_tables
        grams, cased_grams = _char_feats(word)
        zero = repeat(0j)
        entry = _Word(
            word,
            sum(map(chars.get, grams, zero)),
            sum(map(cased.get, cased_grams, zero)),
        )
        if len(self._words) < _CACHE_LIMIT:
            self._words[word] = entry
        return entry

    def _columns(self, word: str) -> tuple[list[int], list[int]]:
        """The columns of a word's lower-case and as-written n-grams."""
        grams, cased_grams = _char_feats(word)
        chars, cased = self.vocab[_CHAR_GROUP], self.vocab[_CASED_GROUP]
        return (
            [c for c in map(chars.get, grams) if c is not None],
            [c for c in map(cased.get, cased_grams) if c is not None],
        )

    def _parse(self, text: str, hits: Sequence[Rule] | None) -> _Parsed:
        spaced, cased, words = _split(text)
        small = []
        for group, feats in (
            (_WORD_GROUP, _word_feats(words)),
            (3, _shape_feats(spaced, cased, words)),
            (4, _edge_feats(words)),
            (5, _rule_feats(rule_hits(text) if hits is None else hits)),
        ):
            cols = [c for c in map(self.vocab[group].get, feats) if c is not None]
            if cols:
                small.append((group, cols))
        return _Parsed(list(map(self._word, cased.split())), small)

    def _detector_sparse(self, parsed: _Parsed) -> float:
        """The detector's score of a parsed text without the dense group."""
        gw = self.group_weights
        score = self.intercepts[self.detector]
        norm = cased_norm = total = cased_total = 0.0
        for entry in parsed.words:
            norm += entry.norm
            cased_norm += entry.cased_norm
            total += entry.score
            cased_total += entry.cased_score
        if norm:
            score += gw[_CHAR_GROUP] * total / math.sqrt(norm)
        if cased_norm:
            score += gw[_CASED_GROUP] * cased_total / math.sqrt(cased_norm)
        norms, detector = self._norms, self._detector_weights
        for group, cols in parsed.small:
            score += gw[group] * _total(detector, cols) / math.sqrt(_total(norms, cols))
        return score

    def _dense_bound(self, parsed: _Parsed, reach: float) -> float:
        """An upper bound of what the dense group adds to the detector's score.

        The dense score is ``w · S / |S|`` for the sum ``S`` of the text's token
        vectors, whose dot products with ``w`` and with the unit ``anchor`` add up
        token by token. ``|S| >= S · anchor``, so when that is positive the score
        is at most ``w · S / (S · anchor)``, and it has the sign of ``w · S``.
        It is never more than ``reach``, the length of ``w``.
        """
        table, along_of, across_of = self.table, self._token_detector, self.token_anchor
        if table is None or along_of is None or across_of is None:
            return reach
        along = across = 0.0
        for entry in parsed.words:
            if entry.along is None:
                tokens = table.known(entry.word)
                entry.along = sum(map(along_of.__getitem__, tokens))
                entry.across = sum(map(across_of.__getitem__, tokens))
            along += entry.along
            across += entry.across
        if along <= 0.0:
            return 0.0
        if across <= 0.0:
            return reach
        return min(reach, self.embedding_weight * along / across)

    def _word_heads(self, entry: _Word) -> list[float]:
        """A word's sums for every head: lower-case n-grams, as written, tokens."""
        if entry.cols is None:
            entry.cols = self._columns(entry.word)
        heads, projections = self.heads, self.token_heads
        sums = []
        for cols in entry.cols:
            if cols:
                pick = _picker(cols)
                sums += [sum(pick(w)) for w in self._head_weights]
            else:
                sums += [0.0] * heads
        tokens = [0.0] * heads
        if self.table is not None and projections is not None:
            for token in self.table.known(entry.word):
                row = projections[token * heads : (token + 1) * heads]
                tokens = list(map(add, tokens, row))
        return sums + tokens

    def _all_heads(self, parsed: _Parsed) -> list[float]:
        """Every head's score of a parsed text, the dense group included.

        Each word's sums for every head are cached, so a text costs a few
        additions per word and head once its words have been seen.
        """
        heads, gw = self.heads, self.group_weights
        sums = [0.0] * (3 * heads)
        norm = cased_norm = 0.0
        for entry in parsed.words:
            if entry.heads is None:
                entry.heads = self._word_heads(entry)
            sums = list(map(add, sums, entry.heads))
            norm += entry.norm
            cased_norm += entry.cased_norm
        char_scale = gw[_CHAR_GROUP] / math.sqrt(norm) if norm else 0.0
        cased_scale = gw[_CASED_GROUP] / math.sqrt(cased_norm) if cased_norm else 0.0
        vector = self._vector(parsed)
        dense_scale = self.embedding_weight / vector[1] if vector is not None else 0.0
        scores = [
            b + char_scale * c + cased_scale * k + dense_scale * d
            for b, c, k, d in zip(
                self.intercepts,
                sums[:heads],
                sums[heads : 2 * heads],
                sums[2 * heads :],
                strict=True,
            )
        ]
        for group, cols in parsed.small:
            scale = gw[group] / math.sqrt(_total(self._norms, cols))
            pick = _picker(cols)
            scores = [
                s + scale * sum(pick(w))
                for s, w in zip(scores, self._head_weights, strict=True)
            ]
        return scores

    def _vector(self, parsed: _Parsed) -> tuple[list[float], float] | None:
        """The sum of the text's token vectors and its length (None: no token)."""
        if self.table is None or self.token_heads is None:
            return None
        if parsed.vector is None:
            total = self.table.total(entry.word for entry in parsed.words)
            if total is None:
                return None
            norm = math.sqrt(sum(map(mul, total, total)))
            if not norm:
                return None
            parsed.vector = (total, norm)
        return parsed.vector

    def _detector_dense(self, parsed: _Parsed) -> float:
        """What the dense group adds to the detector's score."""
        vector = self._vector(parsed)
        if vector is None:
            return 0.0
        self._dense_bound(parsed, self._reach)  # makes sure each word's sums are in
        along = sum(entry.along or 0.0 for entry in parsed.words)
        return self.embedding_weight * along / vector[1]

    def _parsed(
        self, texts: Sequence[str], hits: Sequence[Sequence[Rule]] | None
    ) -> list[_Parsed]:
        if hits is None:
            return [self._parse(t, None) for t in texts]
        return [self._parse(t, h) for t, h in zip(texts, hits, strict=True)]

    def scores(
        self, texts: Sequence[str], hits: Sequence[Sequence[Rule]] | None = None
    ) -> list[list[float]]:
        """Every head's score for each text (class scores, then the detector)."""
        return [self._all_heads(p) for p in self._parsed(texts, hits)]

    def probabilities(
        self, texts: Sequence[str], hits: Sequence[Sequence[Rule]] | None = None
    ) -> list[list[float]]:
        """Class probabilities of each text (softmax of the class scores)."""
        return [softmax(s[: self.class_heads]) for s in self.scores(texts, hits)]

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most likely class of each text."""
        return [
            self.classes[max(range(len(p)), key=p.__getitem__)]
            for p in self.probabilities(texts)
        ]

    def manipulation(
        self, texts: Sequence[str], hits: Sequence[Sequence[Rule]] | None = None
    ) -> list[float]:
        """The detector's probability that each text is manipulative."""
        return [_sigmoid(s[self.detector]) for s in self.scores(texts, hits)]

    def screen(
        self,
        texts: Sequence[str],
        hits: Sequence[Sequence[Rule]] | None = None,
        *,
        floor: float,
    ) -> list[tuple[int, list[float]]]:
        """The texts the detector rates at least ``floor``, with class probabilities.

        The detector's sparse score comes first. The dense vector has unit length,
        so it can move that score by at most the length of the dense weights (often
        much less, see :meth:`_dense_bound`): only texts within that reach of
        ``floor`` need their tokens looked at, and only the texts that pass need
        the class heads.
        """
        if floor <= 0.0:
            cut = -math.inf
        elif floor >= 1.0:
            cut = math.inf
        else:
            cut = math.log(floor / (1.0 - floor))
        reach = self._reach
        chosen = []
        for i, parsed in enumerate(self._parsed(texts, hits)):
            score = self._detector_sparse(parsed)
            if score + reach < cut or score + self._dense_bound(parsed, reach) < cut:
                continue
            if score + self._detector_dense(parsed) >= cut:
                heads = self._all_heads(parsed)
                chosen.append((i, softmax(heads[: self.class_heads])))
        return chosen

    def reasons(self, text: str, label: str, *, limit: int = 3) -> list[str]:
        """The words of ``text`` that weigh most towards ``label`` over "none".

        A word's weight is what its word and character n-gram features and its
        tokens' static vectors add to the class score of ``label`` less what they
        add to the negative class's (a word pair's share is split between its
        two words), as the model scores the whole text. Words that weigh against
        ``label`` are left out, so the list may be shorter than ``limit``.
        """
        if label not in self.classes or label == self.negative_class:
            return []
        c, n = self.classes.index(label), self.classes.index(self.negative_class)
        if c >= self.class_heads or n >= self.class_heads:
            return []  # a binary model names no category to explain
        parsed = self._parse(text, [])
        spaced, cased, lowered = _split(text)
        shown = spaced.split()
        if len(shown) != len(parsed.words):
            return []
        heads, gw = self.heads, self.group_weights
        norm = sum(e.norm for e in parsed.words)
        cased_norm = sum(e.cased_norm for e in parsed.words)
        char_scale = gw[_CHAR_GROUP] / math.sqrt(norm) if norm else 0.0
        cased_scale = gw[_CASED_GROUP] / math.sqrt(cased_norm) if cased_norm else 0.0
        vector = self._vector(parsed)
        dense_scale = self.embedding_weight / vector[1] if vector is not None else 0.0
        weight = [0.0] * len(shown)
        for i, entry in enumerate(parsed.words):
            if entry.heads is None:
                entry.heads = self._word_heads(entry)
            h = entry.heads
            weight[i] = (
                char_scale * (h[c] - h[n])
                + cased_scale * (h[heads + c] - h[heads + n])
                + dense_scale * (h[2 * heads + c] - h[2 * heads + n])
            )
        # the word features of _word_feats, each with the shown word(s) it is of
        owners = [
            i
            for i, word in enumerate(cased.split())
            for _ in _WORD.findall(word.lower())
        ]
        feats = _word_feats(lowered)
        vocab = self.vocab[_WORD_GROUP]
        cols = [vocab.get(f) for f in feats]
        known = [col for col in cols if col is not None]
        if known:
            scale = gw[_WORD_GROUP] / math.sqrt(_total(self._norms, known))
            wc, wn = self._head_weights[c], self._head_weights[n]
            for k, col in enumerate(cols):
                if col is None:
                    continue
                share = scale * (wc[col] - wn[col])
                if k < len(owners):
                    weight[owners[k]] += share
                else:  # the pair of the words at k - len(owners) and after it
                    first = k - len(owners)
                    weight[owners[first]] += share / 2
                    weight[owners[first + 1]] += share / 2
        ranked = sorted(range(len(shown)), key=lambda i: -weight[i])
        words: list[str] = []
        for i in ranked:
            word = shown[i].strip(_PUNCTUATION)
            if weight[i] <= 0.0 or len(words) == limit:
                break
            if word and word.lower() not in (w.lower() for w in words):
                words.append(word)
        return words

    # -- storage -------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the model file (see ``_modelfile.py``)."""
        from array import array

        names: list[str] = []
        groups = bytearray()
        for g, vocab in enumerate(self.vocab):
            for feat, col in sorted(vocab.items(), key=lambda kv: kv[1]):
                if col != len(names):
                    raise ModelError("vocabulary columns must be contiguous")
                if "\n" in feat:
                    raise ModelError("a feature name cannot contain a line break")
                names.append(feat)
                groups.append(g)
        meta = {k: v for k, v in self.meta.items() if not k.startswith("_")}
        meta.update(
            format=FORMAT_VERSION,
            classes=self.classes,
            heads=self.heads,
            class_heads=self.class_heads,
            detector=self.detector,
            intercepts=list(self.intercepts),
            group_weights=list(self.group_weights),
            embedding_weight=self.embedding_weight,
        )
        arrays: dict[str, Any] = {
            "features": "\n".join(names).encode("utf-8"),
            "groups": bytes(groups),
            "norms": array("f", self.norms),
            "weights": array("f", self.weights),
        }
        if self.dense is not None and self.table is not None:
            meta["dims"] = self.table.dims
            arrays["dense"] = array("f", self.dense)
            arrays["tokens"] = "\n".join(self.table.tokens).encode("utf-8")
            arrays["vectors"] = array("b", self.table.vectors)
            arrays["scales"] = array("f", self.table.scales)
            if self.token_heads is not None and self.token_anchor is not None:
                arrays["token_heads"] = array("f", self.token_heads)
                arrays["token_anchor"] = array("f", self.token_anchor)
        write_model_file(path, meta, arrays)


def _total(values: list[float], cols: list[int]) -> float:
    """The sum of ``values`` at ``cols``."""
    if len(cols) > 1:
        total: float = sum(itemgetter(*cols)(values))
        return total
    return values[cols[0]] if cols else 0.0


def _picker(cols: list[int]) -> Any:
    """A function taking the values at ``cols`` from a sequence, as a tuple."""
    if len(cols) == 1:
        col = cols[0]
        return lambda values: (values[col],)
    return itemgetter(*cols)


def negative_class_of(classes: Sequence[str]) -> str:
    """The class of a label set that means "nothing to report"."""
    for name in ("none", "0", "ok", "negative", "false"):
        if name in classes:
            return name
    return classes[0]


def load_model(path: str | Path) -> LensModel:
    """Read a model written by :meth:`LensModel.save` (no code is ever run)."""
    meta, arrays = read_model_file(path)
    if meta.get("format") != FORMAT_VERSION:
        raise ModelError(
            f"{path}: unsupported model format {meta.get('format')!r}; "
            "train it again with `purposeful lens train`"
        )
    try:
        names = arrays["features"].decode("utf-8").split("\n")
        groups = arrays["groups"]
        classes = [str(c) for c in meta["classes"]]
        heads = int(meta["heads"])
        norms, weights = arrays["norms"], arrays["weights"]
        if len(names) != len(groups) or len(norms) != len(names):
            raise ValueError("the feature arrays differ in length")
        if len(weights) != len(names) * heads:
            raise ValueError("the weights do not match the features")
        # each group's columns are one contiguous block (see LensModel.save)
        bounds = [groups.find(bytes([g])) for g in range(len(GROUPS))]
        vocab: list[dict[str, int]] = []
        for g in range(len(GROUPS)):
            start = bounds[g] if bounds[g] >= 0 else len(names)
            end = groups.rfind(bytes([g])) + 1 if bounds[g] >= 0 else start
            if groups[start:end].count(g) != end - start:
                raise ValueError("the feature groups are not contiguous")
            vocab.append(dict(zip(names[start:end], range(start, end), strict=True)))
        if sum(map(len, vocab)) != len(names):
            raise ValueError("a feature belongs to no group")
        table = None
        dense = arrays.get("dense")
        if dense is not None:
            dims = int(meta["dims"])
            tokens = arrays["tokens"].decode("utf-8").split("\n")
            table = TokenTable(tokens, arrays["vectors"], arrays["scales"], dims)
            if len(dense) != dims * heads or len(table.vectors) != len(tokens) * dims:
                raise ValueError("the dense arrays do not match")
        return LensModel(
            vocab=vocab,
            norms=norms,
            weights=weights,
            intercepts=[float(x) for x in meta["intercepts"]],
            classes=classes,
            meta=meta,
            heads=heads,
            class_heads=int(meta["class_heads"]),
            detector=int(meta["detector"]),
            dense=dense,
            table=table,
            token_heads=arrays.get("token_heads"),
            token_anchor=arrays.get("token_anchor"),
            group_weights=tuple(meta["group_weights"]),
            embedding_weight=float(meta["embedding_weight"]),
        )
    except (KeyError, ValueError, TypeError, IndexError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: damaged lens model ({exc})") from None


def shipped_model_path() -> Path:
    """Where the model trained on the project's own corpus lives in the package."""
    return Path(__file__).with_name("data") / "lens-model.bin"
