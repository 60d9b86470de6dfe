"""Speed of the lens on one CPU core, against proselint measured in the same run.

1. ``review_many`` over 10,000 short texts (rules + classifier), first with a fresh
   lens (cold caches) and then again (warm), and the rules alone.
2. The ``purposeful review`` command over 2,000 short files in one call, against
   ``proselint check`` over the same files, both timed here.

    python benchmarks/lens_speed.py [--texts 10000] [--files 2000]

Every figure is given in CPU time (user + system of the process, or of the command
and its children), which stays stable when other programs share the machine, and
in wall-clock time. proselint is the baseline: install it in this environment with
``pip install proselint`` (the script says so if it is missing).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _lens_common import one_core, short_texts


def _measure(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Best (CPU seconds, wall seconds) of ``repeat`` runs, children included."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        before = _cpu()
        started = time.perf_counter()
        fn()
        best_wall = min(best_wall, time.perf_counter() - started)
        best_cpu = min(best_cpu, _cpu() - before)
    return best_cpu, best_wall


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rate(n: int, seconds: tuple[float, float]) -> str:
    cpu, wall = seconds
    return f"{n / cpu:8,.0f} texts/s CPU  ({n / wall:,.0f} wall)"


def library(n_texts: int) -> None:
    from purposeful.lens import Lens, LensConfig

    texts, source = short_texts(n_texts)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"review_many over {len(texts):,} texts ({source}; mean {mean_chars:.0f} chars)"
    )
    holder: dict[str, Lens] = {}

    def build() -> None:
        holder["lens"] = Lens(LensConfig())
        holder["lens"].review_many(texts[:1])  # loads the model

    load = _measure(build, repeat=1)
    lens = holder["lens"]
    cold = _measure(lambda: lens.review_many(texts), repeat=1)
    warm = _measure(lambda: lens.review_many(texts))
    rules = Lens(LensConfig(classifier=False))
    rules_only = _measure(lambda: rules.review_many(texts))
    single = Lens(LensConfig())
    single.review_many(texts[:1])
    one_by_one = _measure(lambda: [single.review(t) for t in texts[:2000]], repeat=1)
    print(
        f"  lens build + model load     {load[0] * 1000:8.0f} ms CPU  ({load[1] * 1000:,.0f} wall)"
    )
    print(f"  rules + classifier, cold    {_rate(len(texts), cold)}")
    print(f"  rules + classifier, warm    {_rate(len(texts), warm)}   goal >= 10,000")
    print(f"  rules only                  {_rate(len(texts), rules_only)}")
    print(f"  review() one text at a time {_rate(2000, one_by_one)}")


def cli(n_files: int) -> None:
    here = Path(sys.executable)
    proselint = shutil.which("proselint") or str(here.with_name("proselint"))
    purposeful = shutil.which("purposeful") or str(here.with_name("purposeful"))
    texts, source = short_texts(n_files)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "copy"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text + "\n", encoding="utf-8")
        print(f"\nCLI over {len(texts):,} files in one call ({source})")
        ours = _command([purposeful, "review", str(folder), "--fail-on", "never"])
        print(f"  purposeful review           {_seconds(ours)}")
        rules = _command(
            [purposeful, "review", str(folder), "--fail-on", "never", "--no-classifier"]
        )
        print(f"  purposeful review, rules    {_seconds(rules)}")
        if not Path(proselint).exists():
            print("  proselint                   not installed: pip install proselint")
            return
        theirs = _command([proselint, "check", str(folder)], repeat=2)
        print(f"  proselint check (baseline)  {_seconds(theirs)}")
        print(
            f"  ratio                       {theirs[0] / ours[0]:8.1f}x faster in CPU time "
            f"({theirs[1] / ours[1]:.1f}x wall)   goal >= 5x"
        )


def _seconds(measured: tuple[float, float]) -> str:
    return f"{measured[0]:8.2f} s CPU  ({measured[1]:.2f} s wall)"


def _command(command: list[str], repeat: int = 3) -> tuple[float, float]:
    def run() -> None:
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )

    return _measure(run, repeat)


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
