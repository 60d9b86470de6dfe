"""Training and cross-validated evaluation of the lens model (needs scikit-learn).

Only ``purposeful lens train`` and ``purposeful lens eval`` import this module, so
reviewing text never pays for importing scikit-learn or SciPy.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ._model import (
    EMBEDDING_WEIGHT,
    GROUP_WEIGHTS,
    GROUPS,
    NB_POWER,
    LensModel,
    features,
    negative_class_of,
    rule_hits,
    words_of,
)

if TYPE_CHECKING:
    from ._rules import Rule

__all__ = [
    "DataError",
    "EvalResult",
    "cross_validate",
    "labelled_files",
    "read_labelled",
    "read_rows",
    "CATEGORY_SETTINGS",
    "FeatureCache",
    "PATTERN_CATEGORIES",
    "Settings",
    "train",
]

#: Inverse regularisation strength of the logistic regression; chosen by 5-fold
#: cross-validation on ec-darkpattern (see benchmarks/lens_quality.py).
DEFAULT_C = 40.0


class DataError(ValueError):
    """A labelled data file cannot be used."""


def labelled_files(paths: Sequence[str | Path]) -> list[Path]:
    """The TSV files that ``paths`` name: files as given, directories' ``*.tsv``.

    A directory's files are taken in name order, so that a corpus split into
    several files (as ``training/corpus/`` is) trains the same model every time.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.glob("*.tsv") if p.is_file())
            if not found:
                raise DataError(f"{path}: a directory with no .tsv file in it")
            files.extend(found)
        else:
            files.append(path)
    if not files:
        raise DataError("no labelled data given")
    return files


def read_rows(*paths: str | Path) -> list[dict[str, str]]:
    """Every labelled row of the TSV files or directories, with all their columns.

    Each file needs ``text`` and ``label`` columns; other columns (a corpus's
    ``sector`` and ``register``) are kept as they are, and rows with no label or
    no text are skipped.
    """
    rows: list[dict[str, str]] = []
    for path in labelled_files(paths):
        rows.extend(_read_file(path))
    return rows


#: The categories of a dark-pattern data set (ec-darkpattern, after Mathur et al.,
#: "Dark Patterns at Scale", 2019) as lens findings. Misdirection there is mostly
#: confirmshaming ("No thanks, I like paying full price"); Obstruction, Sneaking and
#: Forced Action are interface patterns that copy alone does not show, so their rows
#: are left out rather than taught as a category they are not.
PATTERN_CATEGORIES = {
    "scarcity": "manipulation.scarcity",
    "social proof": "manipulation.social-proof",
    "urgency": "manipulation.urgency",
    "misdirection": "manipulation.confirmshaming",
}


def _read_file(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            fields = reader.fieldnames or []
            if "text" not in fields or "label" not in fields:
                raise DataError(
                    f"{path}: needs a header with 'text' and 'label' columns"
                )
            # a 0/1 dark-pattern file with a category column trains a model that
            # names categories: 0 is honest, 1 is its category's finding
            categorised = "Pattern Category" in fields
            rows = []
            for row in reader:
                label = (row.get("label") or "").strip()
                text = row.get("text") or ""
                if label and text.strip():
                    # a short row leaves its missing columns None; extra cells
                    # past the header land under None and are dropped
                    clean = {k: (v or "").strip() for k, v in row.items() if k}
                    clean["text"], clean["label"] = text, label
                    if categorised:  # a row shifted by a stray tab has no finding
                        category = clean.get("Pattern Category", "").lower()
                        clean["finding"] = {
                            "0": "none",
                            "1": PATTERN_CATEGORIES.get(category, ""),
                        }.get(label, "")
                    rows.append(clean)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a TSV file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: malformed TSV ({exc})") from None
    return rows


def read_labelled(*paths: str | Path) -> tuple[list[str], list[str]]:
    """The texts and labels of TSV files (or directories of them).

    Each file needs ``text`` and ``label`` columns; other columns are ignored and
    rows with no label are skipped.
    """
    from ._types import CATEGORY_IDS

    rows = read_rows(*paths)
    if any(r["label"] in CATEGORY_IDS for r in rows):
        # trained beside copy labelled by category, a dark-pattern file's 0/1 rows
        # are taught as their categories (those with none are left out); alone, it
        # stays the 0/1 detection data set it is (``lens eval`` measures that)
        rows = [
            {**r, "label": r["finding"]} if "finding" in r else r
            for r in rows
            if r.get("finding", "-")
        ]
    texts = [r["text"] for r in rows]
    labels = [r["label"] for r in rows]
    binary = sum(1 for x in labels if x in ("0", "1"))
    if binary and binary >= 0.95 * len(labels):
        # A 0/1 data set with a few shifted rows (a stray tab in a text): keep the
        # rows whose label is a clean 0 or 1 rather than inventing classes.
        kept = [(t, x) for t, x in zip(texts, labels, strict=True) if x in ("0", "1")]
        texts, labels = [t for t, _ in kept], [x for _, x in kept]
    if len(set(labels)) < 2:
        where = ", ".join(map(str, paths)) or "the data"
        raise DataError(f"{where}: needs at least two different labels")
    return texts, labels


@dataclass(frozen=True, slots=True)
class Settings:
    """How a model is fitted: regularisation, feature weights, class weights.

    ``class_weight`` multiplies the weight of every manipulative row against the
    honest ones (1: as counted).
    """

    c: float = DEFAULT_C
    group_weights: tuple[float, ...] = GROUP_WEIGHTS
    embedding_weight: float = EMBEDDING_WEIGHT
    class_weight: float = 1.0
    #: The share of manipulative sentences expected in the copy the model will
    #: read, or None for the training data's own share. A corpus is written half
    #: manipulative so that every category is learnt; the copy people review is
    #: mostly honest, and a model that believes otherwise warns too readily. The
    #: fitted intercepts are moved to this prior (Saerens, Latinne and Decaestecker,
    #: "Adjusting the outputs of a classifier to new a priori probabilities", 2002),
    #: so that the lens's confidence threshold keeps its meaning.
    prior: float | None = None
    #: Features in fewer training texts than this are left out of the model: one
    #: text's quirks cannot generalise, and they made most of the model's size.
    min_df: int = 1


#: The settings of a model that names categories (one for reviews, trained on the
#: project's corpus); 0/1 data sets keep :class:`Settings`' defaults, which
#: ec-darkpattern's cross-validation chose. Chosen by the leave-one-sector- and
#: leave-one-register-out recall and false alarms of the full review pipeline
#: (benchmarks/lens_generalisation.py), never by the held-out file.
CATEGORY_SETTINGS = Settings(prior=0.2, min_df=2)


class FeatureCache:
    """Each text's rule hits, features and static vector, computed once.

    Training many models on overlapping rows (cross-validation, leave-one-out
    benchmarks) spends most of its Python time featurising the same texts.
    """

    def __init__(self) -> None:
        self._hits: dict[str, list[Rule]] = {}
        self._features: dict[tuple[str, bool], tuple[list[str], ...]] = {}
        self._dense: dict[str, list[float] | None] = {}

    def hits(self, text: str) -> list[Rule]:
        found = self._hits.get(text)
        if found is None:
            found = self._hits[text] = rule_hits(text)
        return found

    def features(self, text: str, with_rules: bool) -> tuple[list[str], ...]:
        key = (text, with_rules)
        found = self._features.get(key)
        if found is None:
            hits = self.hits(text) if with_rules else []
            found = self._features[key] = features(text, hits)
        return found

    def dense(self, text: str, table: Any) -> list[float] | None:
        if text not in self._dense:
            self._dense[text] = table.mean(words_of(text))
        return self._dense[text]


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    c: float | None = None,
    meta: dict[str, Any] | None = None,
    settings: Settings | None = None,
    cache: FeatureCache | None = None,
) -> LensModel:
    """Fit the lens model on labelled texts.

    ``settings`` default to :data:`CATEGORY_SETTINGS` for labels that are finding
    ids and to :class:`Settings`' defaults for 0/1 labels; ``c`` overrides theirs.
    """
    return _fit(texts, labels, c=c, meta=meta, settings=settings, cache=cache).model


class _Fit(NamedTuple):
    """A trained model with what scikit-learn saw: tests compare the two."""

    model: LensModel
    rows: list[tuple[str, list[Rule]]]  # each training row's text and rule hits
    matrix: Any  # the rows' features, as scikit-learn was given them
    classifier: Any  # the fitted class heads


def _fit(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    c: float | None = None,
    meta: dict[str, Any] | None = None,
    settings: Settings | None = None,
    cache: FeatureCache | None = None,
) -> _Fit:
    import numpy as np
    import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
    from sklearn.linear_model import (  # type: ignore[import-untyped, unused-ignore]
        LogisticRegression,
    )

    from ._types import CATEGORY_IDS
    from ._vectors import static_model_table

    cache = cache or FeatureCache()
    categories = any(label in CATEGORY_IDS for label in labels)
    if settings is None:
        settings = CATEGORY_SETTINGS if categories else Settings()
    if c is not None:
        settings = replace(settings, c=c)
    group_weights, embedding_weight = settings.group_weights, settings.embedding_weight
    rows = [
        (text, cache.hits(text), label)
        for text, label in zip(texts, labels, strict=True)
    ]
    if categories:
        # A model that names categories is one for reviews, and reviews ask it
        # about the sentences no rule matched: it must know manipulation by its
        # words alone, so every text a rule matches is learnt a second time
        # without its rule features. A 0/1 data set measures detection on whole
        # texts, where the rule features are there to be read.
        rows += [(text, [], label) for text, hits, label in rows if hits]
    labels = [label for _, _, label in rows]
    negative = negative_class_of(sorted(set(labels)))
    positive = np.asarray([label != negative for label in labels])
    featurised = [cache.features(text, bool(hits)) for text, hits, _ in rows]
    vocab: list[dict[str, int]] = [{} for _ in GROUPS]
    group_of: list[int] = []
    for g in range(len(GROUPS)):
        seen = Counter(feat for groups in featurised for feat in set(groups[g]))
        # columns are assigned group by group so each group is one contiguous block
        for groups in featurised:
            for feat in groups[g]:
                if feat not in vocab[g] and seen[feat] >= settings.min_df:
                    vocab[g][feat] = len(group_of)
                    group_of.append(g)
    n, n_features = len(rows), len(group_of)
    row_index: list[int] = []
    cols: list[int] = []
    counts: list[int] = []
    for r, groups in enumerate(featurised):
        counted = Counter(
            col
            for g, feats in enumerate(groups)
            for feat in feats
            if (col := vocab[g].get(feat)) is not None
        )
        row_index.extend([r] * len(counted))
        cols.extend(counted)
        counts.extend(counted.values())
    row_arr, col_arr = np.asarray(row_index), np.asarray(cols, dtype=np.int64)
    count_arr = np.asarray(counts, dtype=np.float64)
    # scikit-learn's smoothed idf; a group's length is that of its TF-IDF vector,
    # and each feature is then scaled by its naive-Bayes weight too
    df = np.bincount(col_arr, minlength=n_features)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    scale = idf * _nb_weights(col_arr, positive[row_arr], n_features)
    group_arr = np.asarray(group_of)
    segment = row_arr * len(GROUPS) + group_arr[col_arr]
    lengths = np.sqrt(
        np.bincount(
            segment, weights=count_arr * idf[col_arr] ** 2, minlength=n * len(GROUPS)
        )
    )
    values = (
        count_arr
        * scale[col_arr]
        / lengths[segment]
        * np.asarray(group_weights)[group_arr[col_arr]]
    )
    table = static_model_table()
    dense = np.zeros((n, table.dims))
    for r, (text, _, _) in enumerate(rows):
        vector = cache.dense(text, table)
        if vector is not None:
            dense[r] = vector
    matrix = sp.hstack(
        [
            sp.csr_matrix((values, (row_arr, col_arr)), shape=(n, n_features)),
            dense * embedding_weight,
        ],
        format="csr",
    )
    # manipulative rows weigh class_weight times an honest one
    weight = np.where(positive, settings.class_weight, 1.0)
    clf = LogisticRegression(C=settings.c, max_iter=5000)
    clf.fit(matrix, labels, sample_weight=weight)
    classes = [str(x) for x in clf.classes_]
    heads = list(clf.coef_)
    intercepts = [float(b) for b in clf.intercept_]
    class_heads = len(heads)
    if len(classes) > 2:
        binary = LogisticRegression(C=settings.c, max_iter=5000)
        binary.fit(matrix, positive, sample_weight=weight)
        heads.append(binary.coef_[0])
        intercepts.append(float(binary.intercept_[0]))
    elif classes[1] == negative:
        # a binary model scores classes[1]; the detector scores the other one
        heads.append(-heads[0])
        intercepts.append(-intercepts[0])
    if settings.prior is not None and len(classes) > 2:
        # odds of manipulation move from the training share to the prior's
        trained = float(np.average(positive, weights=weight))
        shift = float(
            np.log(settings.prior / (1 - settings.prior))
            - np.log(trained / (1 - trained))
        )
        intercepts[classes.index(negative)] -= shift
        intercepts[-1] += shift  # the binary detector scores manipulation
    coef = np.stack(heads)  # (heads, features + dims)
    # per-token dot products that let screening bound the dense score cheaply
    int8 = np.frombuffer(table.vectors, dtype=np.int8).reshape(-1, table.dims)
    vectors = int8 * np.frombuffer(table.scales, dtype=np.float32)[:, None]
    anchor = dense.mean(axis=0)
    anchor /= np.linalg.norm(anchor) or 1.0
    model = LensModel(
        vocab=vocab,
        norms=(idf**2).tolist(),
        weights=(coef[:, :n_features] * scale).ravel().tolist(),
        intercepts=intercepts,
        classes=classes,
        meta={
            "c": settings.c,
            "class_weight": settings.class_weight,
            "prior": settings.prior,
            "min_df": settings.min_df,
            "n_texts": len(texts),
            **(meta or {}),
        },
        heads=len(heads),
        class_heads=class_heads,
        detector=len(heads) - 1,
        dense=coef[:, n_features:].ravel().tolist(),
        table=table,
        token_heads=(vectors @ coef[:, n_features:].T).ravel().tolist(),
        token_anchor=(vectors @ anchor).tolist(),
        group_weights=tuple(group_weights),
        embedding_weight=embedding_weight,
    )
    return _Fit(model, [(text, hits) for text, hits, _ in rows], matrix, clf)


def _nb_weights(cols: Any, positive: Any, n_features: int) -> Any:
    """NBSVM's weight of each feature: |log-count ratio| ** NB_POWER, mean 1.

    Counts are of the texts that have the feature, on each side, smoothed by one.
    """
    import numpy as np

    on = np.bincount(cols[positive], minlength=n_features) + 1.0
    off = np.bincount(cols[~positive], minlength=n_features) + 1.0
    ratio = np.abs(np.log((on / on.sum()) / (off / off.sum()))) ** NB_POWER
    weights: Any = ratio / ratio.mean()
    return weights


@dataclass(frozen=True, slots=True)
class EvalResult:
    """Cross-validated quality and inference speed of the lens model on a data set."""

    accuracy: float
    precision: float
    recall: float
    f1: float
    texts_per_second: float
    folds: int
    texts: int
    positive_label: str

    def to_dict(self) -> dict[str, float | int | str]:
        """The figures as JSON-ready data."""
        return {
            "accuracy": round(self.accuracy, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "texts_per_second": round(self.texts_per_second, 1),
            "folds": self.folds,
            "texts": self.texts,
            "positive_label": self.positive_label,
        }


def _positive(labels: Sequence[str]) -> tuple[list[int], str]:
    # Binary data sets label the positive class "1"; category data sets have a
    # negative class ("none" or "0") and every other label counts as positive.
    distinct = set(labels)
    for negative in ("0", "none", "ok", "negative", "false"):
        if negative in distinct:
            return [0 if x == negative else 1 for x in labels], f"not {negative}"
    raise DataError("cannot tell the negative class: label it 0 or none")


def cross_validate(
    texts: Sequence[str], labels: Sequence[str], *, folds: int = 5, seed: int = 0
) -> EvalResult:
    """Stratified k-fold cross-validation of the model architecture.

    Each fold trains on the other folds and predicts with the same numpy inference
    path that reviews use; ``texts_per_second`` is that prediction speed once the
    model is loaded, in CPU time of this process, so that other programs on the
    machine do not skew it.
    """
    from sklearn.model_selection import (  # type: ignore[import-untyped, unused-ignore]
        StratifiedKFold,
    )

    binary, positive = _positive(labels)
    if folds < 2:
        raise DataError("--folds must be at least 2")
    if min(binary.count(0), binary.count(1)) < folds:
        raise DataError(f"each class needs at least {folds} texts for {folds} folds")
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = [0] * len(texts)
    predict_seconds = 0.0
    for train_idx, test_idx in splitter.split(list(texts), binary):
        model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        negative = model.classes.index(model.negative_class)
        batch = [texts[i] for i in test_idx]
        model.probabilities(batch[:1])  # loading the rules is not inference
        started = time.process_time()
        probabilities = model.probabilities(batch)
        predict_seconds += time.process_time() - started
        # "manipulative" is every class but the negative one together, so a text
        # counts as positive when their probabilities add up to more than half
        for i, row in zip(test_idx, probabilities, strict=True):
            predicted[i] = int(1.0 - row[negative] > 0.5)
    tp = sum(1 for p, y in zip(predicted, binary, strict=True) if p and y)
    fp = sum(1 for p, y in zip(predicted, binary, strict=True) if p and not y)
    fn = sum(1 for p, y in zip(predicted, binary, strict=True) if not p and y)
    correct = sum(1 for p, y in zip(predicted, binary, strict=True) if p == y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return EvalResult(
        accuracy=correct / len(texts),
        precision=precision,
        recall=recall,
        f1=f1,
        texts_per_second=len(texts) / predict_seconds if predict_seconds else 0.0,
        folds=folds,
        texts=len(texts),
        positive_label=positive,
    )
