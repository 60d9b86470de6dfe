"""Earlier signals like a new one, while it is read: sensing while writing.

On the corpus (``benchmarks/data/sensing-signals.tsv``) two signals of the same
need are at least ``SIMILAR`` alike one time in ten, two of different needs one
time in a hundred; none of its distinct signals is ``DUPLICATE`` alike another
of a different need, so a pair that close is offered for merging.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from purposeful.feedback.models import Signal

SIMILAR = 0.72
DUPLICATE = 0.9
# the most recent signals compared: enough for a duplicate, quick on every page
WITHIN = 5000


def _embedder() -> Any:
    if getattr(settings, "SENSING_METHOD", "auto") == "tfidf":
        return None
    from purposeful.lens._semantic import load_embedder

    return load_embedder()


def similar_signals(signal: Signal, *, limit: int = 5) -> list[tuple[Signal, float]]:
    """Earlier signals (merged ones left out) most like ``signal``, most alike first."""
    import numpy as np

    embedder = _embedder()
    if embedder is None or not signal.words.strip():
        return []
    earlier = list(
        Signal.objects.filter(merged_into__isnull=True, pk__lt=signal.pk)
        .order_by("-pk")
        .values_list("pk", "words")[:WITHIN]
    )
    if not earlier:
        return []
    vectors = embedder.embed_array([w for _, w in earlier])
    target = embedder.embed_array([signal.words])[0]
    similarity = vectors @ target
    best = [i for i in np.argsort(-similarity)[:limit] if similarity[i] >= SIMILAR]
    found = Signal.objects.select_related("team").in_bulk([earlier[i][0] for i in best])
    return [
        (found[earlier[i][0]], round(float(similarity[i]), 2))
        for i in best
        if earlier[i][0] in found
    ]


def likely_duplicate(similar: list[tuple[Signal, float]]) -> Signal | None:
    """The earlier signal to offer merging into, when one is that close."""
    if similar and similar[0][1] >= DUPLICATE:
        return similar[0][0]
    return None
