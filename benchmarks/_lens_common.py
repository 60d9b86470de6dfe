"""Shared helpers of the lens benchmarks: data paths and pinning to one CPU core."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The public evaluation set lives beside the repository (CI copies shared/ there).
EC_DARKPATTERN = ROOT.parent / "shared" / "data" / "ec-darkpattern.tsv"
CORPUS = ROOT / "training" / "lens-corpus.tsv"
HELD_OUT = ROOT / "training" / "lens-heldout-purpose.txt"


def one_core() -> str:
    """Pin this process (and its children) to one core and one BLAS thread."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU core {core}"
    return "not pinned (no sched_setaffinity on this system)"


def short_texts(limit: int) -> tuple[list[str], str]:
    """Up to ``limit`` short texts: ec-darkpattern's if present, else the corpus."""
    texts: list[str] = []
    source = ""
    if EC_DARKPATTERN.is_file():
        with open(EC_DARKPATTERN, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            texts = [
                r["text"].strip() for r in reader if r["text"] and len(r["text"]) <= 160
            ]
        source = "ec-darkpattern texts of at most 160 characters"
    if not texts:
        with open(CORPUS, encoding="utf-8") as fh:
            texts = [line.split("\t")[0] for line in fh.read().splitlines()[1:]]
        source = "the project's corpus (ec-darkpattern.tsv not found)"
    while len(texts) < limit:
        texts = texts + texts
    return texts[:limit], source


def require_data() -> None:
    """Exit with a clear message when the evaluation data is not beside the repo."""
    if not EC_DARKPATTERN.is_file():
        sys.exit(f"needs {EC_DARKPATTERN} (../shared/data/ec-darkpattern.tsv)")
