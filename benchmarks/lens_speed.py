"""Speed of the lens on one CPU core, against proselint measured in the same run.

1. ``review_many`` over 10,000 short texts (rules + classifier), first with a fresh
   lens (cold caches) and then again (warm), and the rules alone.
2. The ``purposeful review`` command over 2,000 short files in one call, against
   ``proselint check`` over the same files, both timed here.

    python benchmarks/lens_speed.py [--texts 10000] [--files 2000]

proselint is the baseline: install it in this environment with
``pip install proselint`` (the script says so if it is missing).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _lens_common import one_core, short_texts


def _time(fn, repeat: int = 3) -> float:
    # best of several runs: the least disturbed by whatever else the machine does
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def library(n_texts: int) -> None:
    from purposeful.lens import Lens, LensConfig

    texts, source = short_texts(n_texts)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"review_many over {len(texts):,} texts ({source}; mean {mean_chars:.0f} chars)"
    )
    started = time.perf_counter()
    lens = Lens(LensConfig())
    lens.review_many(texts[:1])  # loads the model: counted separately below
    load = time.perf_counter() - started
    started = time.perf_counter()
    lens.review_many(texts)
    cold = time.perf_counter() - started
    warm = _time(lambda: lens.review_many(texts))
    rules = Lens(LensConfig(classifier=False))
    rules_only = _time(lambda: rules.review_many(texts))
    single = Lens(LensConfig())
    single.review_many(texts[:1])
    one_by_one = _time(lambda: [single.review(t) for t in texts[:2000]], repeat=1)
    print(f"  lens build + model load     {load * 1000:8.0f} ms")
    print(f"  rules + classifier, cold    {len(texts) / cold:8,.0f} texts/s")
    print(
        f"  rules + classifier, warm    {len(texts) / warm:8,.0f} texts/s   (goal >= 10,000)"
    )
    print(f"  rules only                  {len(texts) / rules_only:8,.0f} texts/s")
    print(f"  review() one text at a time {2000 / one_by_one:8,.0f} texts/s")


def cli(n_files: int) -> None:
    proselint = shutil.which("proselint") or str(
        Path(sys.executable).with_name("proselint")
    )
    purposeful = shutil.which("purposeful") or str(
        Path(sys.executable).with_name("purposeful")
    )
    texts, source = short_texts(n_files)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "copy"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text + "\n", encoding="utf-8")
        print(f"\nCLI over {len(texts):,} files in one call ({source})")
        ours = _cli_seconds([purposeful, "review", str(folder), "--fail-on", "never"])
        print(
            f"  purposeful review           {ours:8.2f} s  ({len(texts) / ours:,.0f} files/s)"
        )
        rules = _cli_seconds(
            [purposeful, "review", str(folder), "--fail-on", "never", "--no-classifier"]
        )
        print(f"  purposeful review, rules    {rules:8.2f} s")
        if not Path(proselint).exists():
            print("  proselint                   not installed: pip install proselint")
            return
        theirs = _cli_seconds([proselint, "check", str(folder)], repeat=2)
        print(
            f"  proselint check (baseline)  {theirs:8.2f} s  ({len(texts) / theirs:,.0f} files/s)"
        )
        print(
            f"  ratio                       {theirs / ours:8.1f}x faster   (goal >= 5x)"
        )


def _cli_seconds(command: list[str], repeat: int = 3) -> float:
    def run() -> None:
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )

    return _time(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=2_000)
    args = parser.parse_args()
    print(one_core())
    library(args.texts)
    cli(args.files)


if __name__ == "__main__":
    main()
