"""Training and cross-validated evaluation of the lens model (needs scikit-learn).

Only ``purposeful lens train`` and ``purposeful lens eval`` import this module, so
reviewing text never pays for importing scikit-learn or SciPy.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._model import (
    EMBEDDING_WEIGHT,
    GROUP_WEIGHTS,
    GROUPS,
    LensModel,
    embed,
    encode,
    features,
    group_of_columns,
    rule_hits,
    weigh,
)

__all__ = ["DataError", "EvalResult", "cross_validate", "read_labelled", "train"]

#: Inverse regularisation strength of the logistic regression; chosen by 5-fold
#: cross-validation on ec-darkpattern (see benchmarks/lens_quality.py).
DEFAULT_C = 20.0


class DataError(ValueError):
    """A labelled data file cannot be used."""


def read_labelled(path: str | Path) -> tuple[list[str], list[str]]:
    """Read a TSV with ``text`` and ``label`` columns; rows with no label are skipped."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            fields = reader.fieldnames or []
            if "text" not in fields or "label" not in fields:
                raise DataError(
                    f"{path}: needs a header with 'text' and 'label' columns"
                )
            texts, labels = [], []
            for row in reader:
                label = (row.get("label") or "").strip()
                text = row.get("text") or ""
                if label and text.strip():
                    texts.append(text)
                    labels.append(label)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a TSV file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: malformed TSV ({exc})") from None
    binary = sum(1 for x in labels if x in ("0", "1"))
    if binary and binary >= 0.95 * len(labels):
        # A 0/1 data set with a few shifted rows (a stray tab in a text): keep the
        # rows whose label is a clean 0 or 1 rather than inventing classes.
        kept = [(t, x) for t, x in zip(texts, labels, strict=True) if x in ("0", "1")]
        texts, labels = [t for t, _ in kept], [x for _, x in kept]
    if len(set(labels)) < 2:
        raise DataError(f"{path}: needs at least two different labels")
    return texts, labels


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    c: float = DEFAULT_C,
    meta: dict[str, Any] | None = None,
) -> LensModel:
    """Fit the lens model on labelled texts."""
    import numpy as np
    import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
    from sklearn.linear_model import (  # type: ignore[import-untyped, unused-ignore]
        LogisticRegression,
    )

    # Reviews ask the classifier about the sentences no rule matched, so it must
    # also know manipulation by its words alone: every text a rule matches is
    # learnt a second time without its rule features.
    rows = [
        (text, rule_hits(text), label)
        for text, label in zip(texts, labels, strict=True)
    ]
    rows += [(text, [], label) for text, hits, label in rows if hits]
    featurised = [features(text, hits) for text, hits, _ in rows]
    vocab: list[dict[str, int]] = [{} for _ in GROUPS]
    df: list[int] = []
    for g in range(len(GROUPS)):
        # columns are assigned group by group so each group is one contiguous block
        for groups in featurised:
            for feat in set(groups[g]):
                col = vocab[g].get(feat)
                if col is None:
                    vocab[g][feat] = len(df)
                    df.append(1)
                else:
                    df[col] += 1
    n = len(rows)
    # scikit-learn's smoothed idf, so results match a TfidfVectorizer union
    idf = [math.log((1 + n) / (1 + d)) + 1.0 for d in df]
    idf_arr = np.asarray(idf)
    indptr, indices, data = weigh(
        [encode(text, vocab, hits) for text, hits, _ in rows],
        idf_arr,
        group_of_columns(vocab),
    )
    dense = embed([text for text, _, _ in rows], EMBEDDING_WEIGHT)
    matrix = sp.hstack(
        [sp.csr_matrix((data, indices, indptr), shape=(n, len(df))), dense],
        format="csr",
    )
    labels = [label for _, _, label in rows]
    sparse_columns = len(df)
    clf = LogisticRegression(C=c, max_iter=5000)
    clf.fit(matrix, list(labels))
    classes = [str(x) for x in clf.classes_]
    coef = clf.coef_.T.astype(np.float64)
    detector = dense_detector = None
    detector_intercept = 0.0
    if len(classes) > 2:
        negative = next((c for c in ("none", "0") if c in classes), None)
        if negative is not None:
            binary = LogisticRegression(C=c, max_iter=5000)
            binary.fit(matrix, [label != negative for label in labels])
            detector = binary.coef_[0, :sparse_columns].astype(np.float64)
            dense_detector = binary.coef_[0, sparse_columns:].astype(np.float64)
            detector_intercept = float(binary.intercept_[0])
    return LensModel(
        vocab=vocab,
        idf=idf_arr,
        coef=coef[:sparse_columns],
        intercept=clf.intercept_.astype(np.float64),
        classes=classes,
        meta={"c": c, "n_texts": len(texts), **(meta or {})},
        detector=detector,
        detector_intercept=detector_intercept,
        dense_coef=coef[sparse_columns:],
        dense_detector=dense_detector,
        group_weights=GROUP_WEIGHTS,
        embedding_weight=EMBEDDING_WEIGHT,
    )


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
        model.probabilities(batch[:1])  # loading the rules and vectors is not inference
        started = time.process_time()
        probabilities = model.probabilities(batch)
        predict_seconds += time.process_time() - started
        # "manipulative" is every class but the negative one together, so a text
        # counts as positive when their probabilities add up to more than half
        for i, row in zip(test_idx, probabilities, strict=True):
            predicted[i] = int(1.0 - float(row[negative]) > 0.5)
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
