"""How well sensing finds the needs in labelled signals, against today's method.

    .venv/bin/python benchmarks/sensing_quality.py [--scale 200000]

Reads ``benchmarks/data/sensing-signals.tsv`` (1,510 signals, 24 needs and
``none``) and prints, for sentence embeddings + HDBSCAN (``grouping.group_texts``)
and for TF-IDF + k-means (``clustering.cluster_texts``, the method before it) in
the same run:

* adjusted Rand index and normalised mutual information against the needs (signals
  in no group count as one more label, as a reader sees them);
* name fit: for how many needs the largest group of its signals is named with a
  word people used for it (one of the ten content words most frequent in that
  need's own signals);
* stability: share of signals keeping their group when 10% new signals are added
  and the new run is matched to the old one (by centroid for the new method, by
  shared signals for k-means, as each is stored);
* with ``--scale N``: seconds to group N signals (distinct texts made by joining
  two corpus signals; for timing only).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
CORPUS = ROOT / "data" / "sensing-signals.tsv"
sys.path.insert(0, str(ROOT.parent / "src"))

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    adjusted_rand_score,
    normalized_mutual_info_score,
)

from purposeful.lens._semantic import load_embedder  # noqa: E402
from purposeful.sensing import clustering, grouping  # noqa: E402


def read_corpus(path: Path = CORPUS) -> tuple[list[str], list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r["text"] for r in rows], [r["need"] for r in rows]


class Method:
    """One way of grouping: labels per text (-1 in none), names, and how runs match."""

    name = ""

    def run(self, texts: list[str], before: object = None) -> tuple:
        """Labels, names and what the next run is matched by (``before``)."""
        raise NotImplementedError

    def carry(self, old: object, new: object, ids_old, ids_new) -> list[int | None]:
        raise NotImplementedError


class Embeddings(Method):
    name = "embeddings + HDBSCAN"

    def __init__(self) -> None:
        self.embedder = load_embedder()
        if self.embedder is None:
            sys.exit("the semantic extra (tokenizers) is needed")
        self.not_needs = np.asarray(self.embedder.embed(grouping.NOT_A_NEED))

    def vectors(self, texts: list[str]) -> np.ndarray:
        return np.vstack(
            [
                self.embedder.embed_array(texts[i : i + 5000])
                for i in range(0, len(texts), 5000)
            ]
        )

    def run(self, texts, before=None):
        vectors = self.vectors(texts)
        # as the service does: the last run's centre, and its centroids to continue
        centre, previous = before or (grouping.common_direction(vectors), [])
        groups = grouping.group_texts(
            texts,
            vectors,
            not_needs=self.not_needs,
            centre=centre,
            previous=previous,
        )
        return (
            _labels(len(texts), [g.members for g in groups]),
            [g.name for g in groups],
            (centre, [g.centroid for g in groups]),
        )

    def carry(self, old, new, ids_old, ids_new):
        return grouping.match_groups(new[1], old[1])


class KMeansWords(Method):
    name = "TF-IDF + k-means"

    def run(self, texts, before=None):
        clusters = clustering.cluster_texts(texts)
        members = [c.members for c in clusters]
        return (
            _labels(len(texts), members),
            [", ".join(c.words) for c in clusters],
            members,
        )

    def carry(self, old, new, ids_old, ids_new):
        old_sets = {str(k): {ids_old[i] for i in m} for k, m in enumerate(old)}
        keys = clustering.match_keys([{ids_new[i] for i in m} for m in new], old_sets)
        return [None if k is None else int(k) for k in keys]


def _labels(n: int, groups: list[list[int]]) -> np.ndarray:
    labels = np.full(n, -1)
    for k, members in enumerate(groups):
        labels[members] = k
    return labels


def need_words(
    texts: list[str], needs: list[str], top: int = 10
) -> dict[str, set[str]]:
    """The words people used for each need: its own signals' most frequent content words."""
    stop = ENGLISH_STOP_WORDS | grouping.STOP_WORDS_EXTRA
    counts: dict[str, Counter[str]] = {}
    for text, need in zip(texts, needs, strict=True):
        words = set(re.findall(r"[^\W\d_][^\W\d_']+", text.lower())) - stop
        counts.setdefault(need, Counter()).update(words)
    return {n: {w for w, _ in c.most_common(top)} for n, c in counts.items()}


def name_fit(labels, names, needs, words) -> tuple[int, int]:
    needs_arr = np.asarray(needs)
    fits = total = 0
    for need in sorted(set(needs) - {"none"}):
        total += 1
        grouped = labels[(needs_arr == need) & (labels >= 0)]
        if not len(grouped):
            continue
        largest = Counter(grouped.tolist()).most_common(1)[0][0]
        if set(re.findall(r"[^\W\d_]+", names[largest].lower())) & words[need]:
            fits += 1
    return fits, total


def stability(method: Method, texts: list[str]) -> float:
    rng = np.random.default_rng(20)
    order = rng.permutation(len(texts))
    base = sorted(order[: round(len(texts) / 1.1)].tolist())
    labels_old, _, state_old = method.run([texts[i] for i in base])
    labels_new, _, state_new = method.run(texts, state_old)
    carried = method.carry(state_old, state_new, base, list(range(len(texts))))
    kept = counted = 0
    for position, index in enumerate(base):
        old = labels_old[position]
        if old < 0:
            continue
        counted += 1
        new = labels_new[index]
        if new >= 0 and carried[new] == old:
            kept += 1
    return kept / max(1, counted)


def placing(method: Embeddings, texts: list[str], threshold: float) -> tuple:
    """New signals joining the nearest group between runs: the share placed, and
    the share of those the next run put in the same group."""
    rng = np.random.default_rng(20)
    order = rng.permutation(len(texts))
    base = sorted(order[: round(len(texts) / 1.1)].tolist())
    new = sorted(order[round(len(texts) / 1.1) :].tolist())
    _, _, state_old = method.run([texts[i] for i in base])
    labels_new, _, state_new = method.run(texts, state_old)
    carried = method.carry(state_old, state_new, base, list(range(len(texts))))
    centre, centroids = state_old
    vectors = grouping.centred(method.vectors([texts[i] for i in new]), centre)
    placed = agreed = 0
    for index, vector in zip(new, vectors, strict=True):
        group = grouping.nearest_group(vector, centroids, threshold=threshold)
        if group is None:
            continue
        placed += 1
        later = labels_new[index]
        agreed += later >= 0 and carried[later] == group
    return placed / len(new), agreed / max(1, placed)


def small_setting(texts: list[str], needs: list[str]) -> tuple[list, list]:
    """12 signals of each of 8 needs (two or three of each organisation), seeded."""
    rng = np.random.default_rng(96)
    chosen = sorted(set(needs) - {"none"})[::3][:8]
    picked = []
    for need in chosen:
        rows = [i for i, n in enumerate(needs) if n == need]
        picked.extend(rng.choice(rows, 12, replace=False).tolist())
    return [texts[i] for i in picked], [needs[i] for i in picked]


def scaled(texts: list[str], n: int) -> list[str]:
    rng = np.random.default_rng(3)
    a = rng.integers(0, len(texts), n)
    b = rng.integers(0, len(texts), n)
    return [
        f"{texts[i]} {' '.join(texts[j].split()[:6])} #{k}"
        for k, (i, j) in enumerate(zip(a, b, strict=True))
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=0, help="also time N signals")
    parser.add_argument(
        "--small",
        action="store_true",
        help="a 96-signal setting like the demo's: 12 signals of each of 8 needs",
    )
    args = parser.parse_args(argv)
    texts, needs = read_corpus()
    if args.small:
        texts, needs = small_setting(texts, needs)
    words = need_words(texts, needs)
    kinds = set(needs)
    extra = " and 'none'" if "none" in kinds else ""
    print(f"{len(texts)} signals, {len(kinds - {'none'})} needs{extra}")
    for method in (Embeddings(), KMeansWords()):
        started = time.perf_counter()
        labels, names, _ = method.run(texts)
        took = time.perf_counter() - started
        fits, total = name_fit(labels, names, needs, words)
        print(
            f"{method.name:22} groups {labels.max() + 1:3}  "
            f"in none {np.mean(labels < 0):.0%}  "
            f"ARI {adjusted_rand_score(needs, labels):.3f}  "
            f"NMI {normalized_mutual_info_score(needs, labels):.3f}  "
            f"names fit {fits}/{total}  "
            f"stability {stability(method, texts):.2f}  ({took:.1f} s)"
        )
        if isinstance(method, Embeddings):
            share, agree = placing(method, texts, grouping.PLACE_SIMILARITY)
            print(
                f"{'':22} between runs: {share:.0%} of new signals join a group,"
                f" {agree:.0%} of them the one the next run gives them"
            )
        if args.scale:
            many = scaled(texts, args.scale)
            started = time.perf_counter()
            labels, _, _ = method.run(many)
            print(
                f"{'':22} {args.scale:,} signals: {time.perf_counter() - started:.0f} s,"
                f" {labels.max() + 1} groups"
            )


if __name__ == "__main__":
    main()
