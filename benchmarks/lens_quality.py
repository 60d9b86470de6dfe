"""Quality of the lens model against the state of the art on ec-darkpattern.

Runs the same protocol as the published baselines (stratified 5-fold cross-validation
on ../shared/data/ec-darkpattern.tsv) for the lens's own model architecture, and, in
the same run and on the same folds, a plain TF-IDF + logistic regression baseline.
Prints the published figures beside them.

    python benchmarks/lens_quality.py [--folds 5] [--seed 0] [--shuffles 5]

``--shuffles`` repeats the lens's cross-validation with other fold assignments
(seeds seed+1, seed+2, ...), so that a figure is not the luck of one split.
"""

from __future__ import annotations

import argparse
import time

from _lens_common import EC_DARKPATTERN, one_core, require_data

PUBLISHED = [
    ("logistic regression (Yada et al. 2022)", 0.961),
    ("gradient boosting (Yada et al. 2022)", 0.962),
    ("BERT-base (Yada et al. 2022)", 0.972),
    ("RoBERTa-large (Yada et al. 2022)", 0.975),
]


def plain_tfidf_baseline(
    texts: list[str], labels: list[str], folds: int, seed: int
) -> float:
    """Word + character TF-IDF and logistic regression, scikit-learn defaults."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline, make_union

    pipeline = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=2000),
    )
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return float(cross_val_score(pipeline, texts, labels, cv=splitter).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shuffles", type=int, default=5)
    args = parser.parse_args()
    require_data()
    pinning = one_core()
    from purposeful.lens._train import cross_validate, read_labelled

    texts, labels = read_labelled(EC_DARKPATTERN)
    print(
        f"ec-darkpattern: {len(texts)} labelled texts, {args.folds}-fold stratified CV"
    )
    print(f"({pinning})")
    started = time.perf_counter()
    lens = cross_validate(texts, labels, folds=args.folds, seed=args.seed)
    lens_seconds = time.perf_counter() - started
    started = time.perf_counter()
    baseline = plain_tfidf_baseline(texts, labels, args.folds, args.seed)
    baseline_seconds = time.perf_counter() - started
    print()
    print(f"{'model':<44}{'accuracy':>9}{'F1':>8}")
    print(f"{'lens model (this run)':<44}{lens.accuracy:>9.4f}{lens.f1:>8.4f}")
    print(
        f"{'plain TF-IDF + logistic regression (this run)':<44}{baseline:>9.4f}{'':>8}"
    )
    for name, accuracy in PUBLISHED:
        print(f"{name:<44}{accuracy:>9.3f}{'':>8}")
    print()
    print(
        f"lens: precision {lens.precision:.4f}, recall {lens.recall:.4f}, "
        f"inference {lens.texts_per_second:,.0f} texts/s on one core; "
        f"train+predict {lens_seconds:.1f} s (baseline {baseline_seconds:.1f} s)"
    )
    print(
        f"difference to the same-run baseline: {lens.accuracy - baseline:+.4f} accuracy; "
        f"to RoBERTa-large: {lens.accuracy - 0.975:+.4f}"
    )
    if args.shuffles > 1:
        accuracies = [lens.accuracy] + [
            cross_validate(texts, labels, folds=args.folds, seed=args.seed + k).accuracy
            for k in range(1, args.shuffles)
        ]
        shown = ", ".join(f"{a:.4f}" for a in accuracies)
        print(
            f"lens accuracy over {args.shuffles} shuffles (seeds {args.seed}–"
            f"{args.seed + args.shuffles - 1}): {shown}; mean "
            f"{sum(accuracies) / len(accuracies):.4f}, lowest {min(accuracies):.4f}"
        )


if __name__ == "__main__":
    main()
