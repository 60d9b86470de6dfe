"""Grouping signals by meaning: sentence embeddings, HDBSCAN, names people would use.

Pure functions over lists and arrays, no Django. The steps, and why:

* Each signal is the lens's sentence embedding (with the direction every signal
  shares taken out) beside its words' latent semantic analysis: the static encoder
  alone misses a need's own vocabulary, shared words alone miss paraphrases;
  together they separate needs best on ``benchmarks/data/sensing-signals.tsv``.
* HDBSCAN finds the number of groups. It runs on a spectral embedding of the
  signals' nearest-neighbour graph, where the needs are dense (on the raw vectors
  it finds 2–15 groups for 24 needs), and on a seeded sample of at most
  ``SAMPLE`` signals, so 200,000 signals are grouped in minutes.
* Every signal then joins the group whose centroid it is nearest, when it is near
  enough (``JOIN_SIMILARITY``); the rest stay "not yet a pattern". Praise, thanks
  and noise are nearer the ``NOT_A_NEED`` prototypes than any group, and stay out.
* Names come from class-based TF-IDF over words and two- and three-word phrases
  (as BERTopic does), so they are words people wrote; the quote is the signal
  nearest the centroid.

Centroids are kept in the encoder's space (not the run's own LSA space), so a
later run, or a new signal, can be compared with them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SEED = 8
SAMPLE = 6000
NEIGHBOURS = 30
SPECTRAL_DIMENSIONS = 25
# below this many signals the graph is too sparse to embed: HDBSCAN runs directly
SPECTRAL_FROM = 200
LSA_DIMENSIONS = 200
JOIN_SIMILARITY = 0.15
# a new run's group continues an old one when their centroids are this close
MATCH_SIMILARITY = 0.75
# how near a group's centroid a new signal must be to join it between runs: on
# the corpus 76% of new signals join one, 79% of them the one the next run gives
PLACE_SIMILARITY = 0.4
# what customers write when they need nothing: praise, thanks, greetings, tests
NOT_A_NEED = [
    "Thank you so much, great service, you are the best.",
    "Thanks for your help, really appreciated.",
    "Lovely friendly staff, keep up the good work!",
    "Well done, congratulations, proud to be part of this.",
    "Happy holidays and best wishes to the whole team.",
    "test message please ignore",
    "hello, hi, ok",
]
# Praise says so and asks for nothing: on the corpus this rule takes out 49% of
# the praise, noise and off-topic signals and 1 of 1,358 needs (the embedding
# prototypes alone could not tell them apart: at a threshold that lost 3% of
# needs they found 35%).
_REQUEST = re.compile(
    r"\?|\b(can|could|would|will|please|pls|plz|need|needs|want|wish|should|how|"
    r"why|where|when|what|is there|do you|any chance|help|must|more|less|too|not|"
    r"never|no|can't|cannot|won't|doesn't|don't|\w+'d|problem|broken|wrong|issue|"
    r"expensive|hard)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(thank|thanks|cheers|great|love|loved|lovely|best|brilliant|fantastic|"
    r"wonderful|amazing|proud|congrat\w*|well done|happy|grateful|appreciated|"
    r"legend|rock|kind|superb|excellent|delight\w*|beautiful|smart|nice)\b",
    re.IGNORECASE,
)
STOP_WORDS_EXTRA = {
    "just", "like", "really", "would", "could", "thanks", "thank", "please",
    "pls", "plz", "hi", "hello", "got", "get", "also", "one", "im", "dont",
    "want", "need", "love", "lot", "make", "way", "think", "know", "lol",
}  # fmt: skip


@dataclass(frozen=True)
class Group:
    """Indexes into the input texts, a name, the telling phrases, a quote, a centroid."""

    members: list[int]
    name: str
    words: list[str]
    quote: int
    centroid: list[float]


def group_texts(
    texts: Sequence[str],
    vectors: Any,
    *,
    not_needs: Any = None,
    min_group: int | None = None,
    centre: Any = None,
    previous: Sequence[Sequence[float]] = (),
) -> list[Group]:
    """Group ``texts`` by meaning; ``vectors`` are their unit sentence embeddings.

    Signals that belong nowhere stay in no group, and so do those nearer one of
    ``not_needs`` (the embeddings of ``NOT_A_NEED``) than their group's centroid.
    Centroids are of the vectors less ``centre`` (``common_direction`` of these
    vectors unless given), the direction every signal shares, so that they tell
    groups apart. Found groups that continue the same one of ``previous`` (the
    last run's centroids) are one group again: a group that merely gained
    signals keeps its identity.
    """
    import numpy as np

    n = len(texts)
    if n < 4:
        return []
    raw = _unit(np.asarray(vectors, dtype=np.float32))
    embeddings = centred(raw, common_direction(raw) if centre is None else centre)
    combined = _combine(texts, embeddings)
    size = min_group or default_min_group(n)
    labels = _density_groups(combined, size)
    if labels.max() < 0:
        return []
    count = int(labels.max()) + 1
    centres = _unit(
        np.vstack([combined[labels == k].mean(axis=0) for k in range(count)])
    )
    similarity = combined @ centres.T
    nearest = similarity.argmax(axis=1)
    joined = similarity.max(axis=1) >= JOIN_SIMILARITY
    assigned = np.where(joined, nearest, -1)
    if not_needs is not None:
        assigned[_not_needs(raw, not_needs, assigned, count)] = -1
    assigned[[is_thanks_or_noise(t) for t in texts]] = -1
    members = [np.flatnonzero(assigned == k) for k in range(count)]
    members = _rejoin([m for m in members if len(m)], embeddings, previous)
    kept = [m for m in members if len(m) >= max(2, size // 2)]
    names = name_groups(texts, [m.tolist() for m in kept])
    groups = []
    for indexes, (name, words) in zip(kept, names, strict=True):
        centroid = _unit(embeddings[indexes].mean(axis=0, keepdims=True))[0]
        typical = indexes[int(np.argmax(embeddings[indexes] @ centroid))]
        groups.append(
            Group(
                members=indexes.tolist(),
                name=name,
                words=words,
                quote=int(typical),
                centroid=[round(float(v), 5) for v in centroid],
            )
        )
    groups.sort(key=lambda g: (-len(g.members), g.members[0]))
    return groups


def default_min_group(n: int) -> int:
    """The smallest group worth calling a pattern among ``n`` signals."""
    return max(3, min(15, round(n / 100)))


def is_thanks_or_noise(text: str) -> bool:
    """Praise or thanks that asks for nothing, or too few words to say a need."""
    if len(re.findall(r"[^\W\d_]+", text)) < 3:
        return True
    return bool(_PRAISE.search(text)) and not _REQUEST.search(text)


def common_direction(vectors: Any) -> Any:
    """The unit mean of the vectors: what every signal has in common."""
    import numpy as np

    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def centred(vectors: Any, centre: Any) -> Any:
    """Unit vectors less their part along ``centre``."""
    import numpy as np

    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    centre = np.asarray(centre, dtype=np.float32)
    return _unit(vectors - np.outer(vectors @ centre, centre))


def _rejoin(members: list[Any], embeddings: Any, previous: Sequence[Any]) -> list[Any]:
    """Groups whose centroids both continue one previous group, joined into one."""
    import numpy as np

    if not len(previous) or len(members) < 2:
        return members
    centres = _unit(np.vstack([embeddings[m].mean(axis=0) for m in members]))
    similarity = centres @ _unit(np.asarray(previous, dtype=np.float32)).T
    joined: dict[int, list[Any]] = {}
    alone = []
    for k, m in enumerate(members):
        best = int(np.argmax(similarity[k]))
        if similarity[k, best] >= MATCH_SIMILARITY:
            joined.setdefault(best, []).append(m)
        else:
            alone.append(m)
    return [np.sort(np.concatenate(parts)) for parts in joined.values()] + alone


def _unit(matrix: Any) -> Any:
    import numpy as np

    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def _combine(texts: Sequence[str], embeddings: Any) -> Any:
    """The (centred) encoder's vectors beside the words' LSA."""
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    semantic = embeddings
    try:
        tfidf = TfidfVectorizer(
            stop_words=sorted(ENGLISH_STOP_WORDS | STOP_WORDS_EXTRA),
            min_df=2,
            max_df=0.5,
            max_features=50_000,
            # two-word phrases too: "cargo bike" is not "bike" (ARI 0.565 -> 0.582)
            ngram_range=(1, 2),
            sublinear_tf=True,
            token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b",
            dtype=np.float32,
        ).fit_transform(texts)
    except ValueError:  # no word occurs twice
        return semantic
    dims = min(LSA_DIMENSIONS, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if dims < 2:
        return semantic
    lsa = TruncatedSVD(n_components=dims, random_state=SEED).fit_transform(tfidf)
    return _unit(np.hstack([semantic, _unit(lsa)]).astype(np.float32))


def _density_groups(combined: Any, min_group: int) -> Any:
    """HDBSCAN labels (-1: in no group) for every row, found on a sample."""
    import numpy as np
    from sklearn.cluster import HDBSCAN
    from sklearn.manifold import SpectralEmbedding

    n = combined.shape[0]
    rng = np.random.default_rng(SEED)
    sample = np.sort(rng.choice(n, SAMPLE, replace=False)) if n > SAMPLE else None
    points = combined if sample is None else combined[sample]
    if points.shape[0] >= SPECTRAL_FROM:
        spectral = SpectralEmbedding(
            n_components=SPECTRAL_DIMENSIONS,
            affinity="nearest_neighbors",
            n_neighbors=NEIGHBOURS,
            random_state=SEED,
        ).fit_transform(points)
        points_for_density = _unit(spectral)
    else:
        points_for_density = points
    labels = HDBSCAN(min_cluster_size=min_group, copy=True).fit_predict(
        points_for_density
    )
    if sample is None:
        return labels
    full = np.full(n, -1)
    full[sample] = labels
    return full


def _not_needs(embeddings: Any, not_needs: Any, assigned: Any, count: int) -> Any:
    """Rows nearer a praise or noise prototype than their own group's centroid."""
    import numpy as np

    prototypes = _unit(np.asarray(not_needs, dtype=np.float32))
    praise = (embeddings @ prototypes.T).max(axis=1)
    own = np.zeros(len(assigned), dtype=np.float32)
    for k in range(count):
        rows = np.flatnonzero(assigned == k)
        if len(rows):
            centre = _unit(embeddings[rows].mean(axis=0, keepdims=True))[0]
            own[rows] = embeddings[rows] @ centre
    return praise > own


def name_groups(
    texts: Sequence[str], groups: Sequence[Sequence[int]], *, top: int = 5
) -> list[tuple[str, list[str]]]:
    """For each group, a short name and its telling phrases (class-based TF-IDF).

    Each group's texts count as one document; a phrase scores by its frequency in
    the group times log(1 + average words per group / its frequency over all
    groups). A two- or three-word phrase is preferred to its own word when it
    scores at least half as well, since "cargo bike rental" says more than "cargo".
    """
    counts = [Counter(_phrases(texts[i] for i in members)) for members in groups]
    overall: Counter[str] = Counter()
    for c in counts:
        overall.update(c)
    average = sum(overall.values()) / max(1, len(groups))
    result = []
    for c in counts:
        total = sum(c.values()) or 1
        scored = sorted(
            (
                (c[p] / total) * math.log(1 + average / overall[p]),
                p,
            )
            for p in c
            if c[p] >= 2
        )
        # ties (signals written alike) go to the longer phrase
        scored.sort(key=lambda s: (-round(s[0], 9), -s[1].count(" "), s[1]))
        words = [p for _, p in scored[:top]]
        result.append((_name(scored), words))
    return result


def _name(scored: list[tuple[float, str]]) -> str:
    if not scored:
        return "not named yet"
    best_score, best = scored[0]
    for score, phrase in scored[1:12]:
        if " " in phrase and best in phrase.split() and score >= best_score / 2:
            return phrase
    return best


def _phrases(texts: Any) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    stop = ENGLISH_STOP_WORDS | STOP_WORDS_EXTRA
    found: list[str] = []
    for text in texts:
        # stop words go first, as in BERTopic's vectoriser: "rent a cargo bike"
        # gives "rent cargo bike"
        words = [
            w for w in re.findall(r"[^\W\d_][^\W\d_']+", text.lower()) if w not in stop
        ]
        seen: set[str] = set()
        for size in (1, 2, 3):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start : start + size])
                if phrase not in seen:  # a word repeated in one signal counts once
                    seen.add(phrase)
                    found.append(phrase)
    return found


def match_groups(
    new: Sequence[Sequence[float]],
    old: Sequence[Sequence[float]],
    *,
    threshold: float = MATCH_SIMILARITY,
) -> list[int | None]:
    """For each new centroid, the index of the old one it continues, or None.

    One-to-one (the Hungarian assignment maximising total similarity); a pair
    counts only when the centroids are at least ``threshold`` alike.
    """
    import numpy as np
    from scipy.optimize import (  # type: ignore[import-untyped, unused-ignore]
        linear_sum_assignment,
    )

    result: list[int | None] = [None] * len(new)
    if not len(new) or not len(old):
        return result
    similarity = (
        _unit(np.asarray(new, dtype=np.float32))
        @ _unit(np.asarray(old, dtype=np.float32)).T
    )
    rows, cols = linear_sum_assignment(-similarity)
    for r, c in zip(rows, cols, strict=True):
        if similarity[r, c] >= threshold:
            result[int(r)] = int(c)
    return result


def nearest_group(
    vector: Sequence[float],
    centroids: Sequence[Sequence[float]],
    *,
    threshold: float = 0.5,
) -> int | None:
    """The index of the centroid nearest ``vector`` when it is near enough."""
    import numpy as np

    if not len(centroids):
        return None
    similarity = _unit(np.asarray(centroids, dtype=np.float32)) @ np.asarray(
        vector, dtype=np.float32
    )
    best = int(np.argmax(similarity))
    return best if float(similarity[best]) >= threshold else None
