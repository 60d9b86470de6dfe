"""Grouping texts by similarity: TF-IDF (or sentence embeddings) and k-means.

Pure functions over lists, no Django: the service feeds signals in and stores
what comes out. Seeded, and fed in a fixed order, so the same texts give the
same groups on every run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

SEED = 8
MIN_GROUP = 2
MAX_GROUPS = 40
LSA_DIMENSIONS = 100
FULL_KMEANS_UP_TO = 20_000
# Words that say nothing about a need in a bicycle workshop's feedback.
EXTRA_STOP_WORDS = {
    "bike", "bikes", "bicycle", "just", "like", "really", "would", "could",
    "thanks", "thank", "please", "hi", "hello", "got", "get", "also", "one",
}  # fmt: skip


@dataclass(frozen=True)
class Cluster:
    """Indexes into the input texts, and the words that tell this group apart."""

    members: list[int]
    words: list[str]


def group_count(n: int) -> int:
    """How many groups to look for among ``n`` texts: grows slowly with n."""
    if n < 2 * MIN_GROUP:
        return 1
    return max(2, min(MAX_GROUPS, round(math.sqrt(n))))


def cluster_texts(
    texts: Sequence[str],
    *,
    embed: Callable[[list[str]], Any] | None = None,
    n_groups: int | None = None,
    top_words: int = 3,
) -> list[Cluster]:
    """Group ``texts``; ``embed(texts) -> vectors`` replaces TF-IDF for the distance.

    Groups smaller than ``MIN_GROUP`` are dropped: one signal is not a pattern.
    Names always come from TF-IDF, so they are words people actually wrote.
    """
    import numpy as np
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    if len(texts) < 2 * MIN_GROUP:
        return []
    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS),
        min_df=2,
        max_df=0.5,
        max_features=20_000,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b",
        dtype=np.float32,
    )
    try:
        tfidf = vectorizer.fit_transform(texts)
    except ValueError:  # no word occurs twice: nothing to group by
        return []
    if embed is not None:
        vectors = np.asarray(embed(list(texts)), dtype=np.float32)
    else:
        vectors = _lsa(tfidf)
    k = n_groups or group_count(len(texts))
    # never more groups than distinct points (repeated texts are common)
    k = min(k, _distinct_rows(vectors))
    if k < 2:
        return []
    if len(texts) <= FULL_KMEANS_UP_TO:
        model = KMeans(n_clusters=k, random_state=SEED, n_init=10)
    else:
        model = MiniBatchKMeans(
            n_clusters=k, random_state=SEED, n_init=3, batch_size=4096, max_iter=100
        )
    labels = model.fit_predict(vectors)
    vocabulary = vectorizer.get_feature_names_out()
    overall = np.asarray(tfidf.mean(axis=0)).ravel()
    clusters = []
    for label in range(k):
        members = np.flatnonzero(labels == label)
        if len(members) < MIN_GROUP:
            continue
        mean = np.asarray(tfidf[members].mean(axis=0)).ravel()
        # telling words: frequent here, rarer elsewhere
        score = mean - overall
        best = [i for i in np.argsort(-score, kind="stable")[:top_words] if mean[i] > 0]
        if not best:
            continue
        clusters.append(
            Cluster(members=members.tolist(), words=[str(vocabulary[i]) for i in best])
        )
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    return clusters


def _distinct_rows(vectors) -> int:
    import numpy as np

    dense = vectors.toarray() if hasattr(vectors, "toarray") else np.asarray(vectors)
    return len(np.unique(np.round(dense, 6), axis=0))


def _lsa(tfidf):
    """Latent semantic analysis: words that occur together count as one direction,
    which keeps k-means from lumping short texts into one catch-all group."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dims = min(LSA_DIMENSIONS, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if dims < 2:
        return tfidf
    reduced = TruncatedSVD(n_components=dims, random_state=SEED).fit_transform(tfidf)
    return normalize(reduced)


def match_keys(
    new_groups: Sequence[set[int]],
    old_groups: dict[str, set[int]],
    *,
    threshold: float = 0.5,
) -> list[str | None]:
    """For each new group, the key of the old group it continues, or None.

    A new group continues an old one when they share at least ``threshold`` of
    their combined signals (Jaccard); each old key is given out once, to the
    best match first.
    """
    candidates = []
    for index, members in enumerate(new_groups):
        for key, old in old_groups.items():
            shared = len(members & old)
            if not shared:
                continue
            overlap = shared / len(members | old)
            if overlap >= threshold:
                candidates.append((overlap, index, key))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    result: list[str | None] = [None] * len(new_groups)
    used: set[str] = set()
    for _, index, key in candidates:
        if result[index] is None and key not in used:
            result[index] = key
            used.add(key)
    return result
