"""Speed of the lens on one CPU core, against proselint and the previous lens in the same run.

1. ``review_many`` over 10,000 short texts (rules + classifier), first with a fresh
   lens (cold caches) and then again (warm), and the rules alone; the short texts
   repeat (ec-darkpattern has ~2,300 of them), so the same figures are also given
   over the distinct texts only, each seen once by a fresh lens.
2. The ``purposeful review`` command over 2,000 short files in one call, and over
   2,000 files of six sentences each with ``--format json``, against
   ``proselint check`` over the same files, both timed here.
3. The same figures of the lens as of ``--baseline`` (default: the commit before
   the lens was last made faster), its ``src/purposeful/lens`` extracted with
   ``git archive`` and run in a subprocess; ``--check`` first makes sure both give
   identical reviews (every field, as JSON) over the training corpus, the held-out
   file and ec-darkpattern, one text at a time and as six-sentence files.

    python benchmarks/lens_speed.py [--texts 10000] [--files 2000] [--baseline c6f5522]
                                    [--no-baseline] [--check]

Every figure is given in CPU time (user + system of the process, or of the command
and its children), which stays stable when other programs share the machine, and
in wall-clock time. proselint is the baseline of the command: install it in this
environment with ``pip install proselint`` (the script says so if it is missing).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _lens_common import EC_DARKPATTERN, ROOT, one_core, short_texts

#: The lens before the speed work of December 2026.
BASELINE = "c6f5522"
#: Runs the ``review`` command of whichever lens PYTHONPATH finds first.
_CLI = (
    "import sys; from purposeful.lens.commands import review; "
    "review(sys.argv[1:], prog_name='purposeful review')"
)
#: Prints every review of the JSON list of texts on stdin, as JSON.
_DUMP = """
import json, sys
from purposeful.lens import Lens, LensConfig
texts = json.load(sys.stdin)
lens = Lens(LensConfig())
out = {"one by one": [lens.review(t).to_dict() for t in texts[: int(sys.argv[1])]]}
out["batch"] = [r.to_dict() for r in lens.review_many(texts)]
out["markdown"] = [r.to_dict() for r in lens.review_many(texts, markup="markdown")]
json.dump(out, sys.stdout, sort_keys=True)
"""


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
    distinct = list(dict.fromkeys(texts))
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"review_many over {len(texts):,} texts ({source}; mean {mean_chars:.0f} chars;"
        f" {len(distinct):,} distinct)"
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

    def fresh(config: LensConfig) -> Callable[[], object]:
        def run() -> None:
            # a new lens reads the texts with empty caches; its model is loaded
            # (and its rules compiled) before the clock starts
            timed = Lens(config)
            timed.review_many(["x"])
            start_cpu, start_wall = _cpu(), time.perf_counter()
            encoder = getattr(config, "encoder", False)  # a baseline may lack it
            timed.review_many(distinct[:1000] if encoder else distinct)
            spent.append((_cpu() - start_cpu, time.perf_counter() - start_wall))

        return run

    spent: list[tuple[float, float]] = []
    for _ in range(3):
        fresh(LensConfig())()
    distinct_full = min(c for c, _ in spent), min(w for _, w in spent)
    spent.clear()
    for _ in range(3):
        fresh(LensConfig(classifier=False))()
    distinct_rules = min(c for c, _ in spent), min(w for _, w in spent)
    print(
        f"  lens build + model load     {load[0] * 1000:8.0f} ms CPU  ({load[1] * 1000:,.0f} wall)"
    )
    print(f"  rules + classifier, cold    {_rate(len(texts), cold)}")
    print(f"  rules + classifier, warm    {_rate(len(texts), warm)}   goal >= 10,000")
    print(f"  rules only                  {_rate(len(texts), rules_only)}")
    print(f"  review() one text at a time {_rate(2000, one_by_one)}")
    print(f"  distinct texts, fresh lens  {_rate(len(distinct), distinct_full)}")
    print(f"  distinct texts, rules only  {_rate(len(distinct), distinct_rules)}")
    try:
        from purposeful.lens import encoder_available
    except ImportError:  # a baseline lens from before the encoder
        return
    if encoder_available():
        # the web app's lens: a fresh one, so that every sentence is read
        sample = distinct[:1000]
        spent.clear()
        fresh(LensConfig(encoder=True))()
        with_encoder = spent[0]
        print(
            f"  with the encoder, fresh     {_rate(len(sample), with_encoder)}"
            "   (distinct texts; the web app's lens)"
        )


def _six_sentence_files(n_files: int) -> list[str]:
    """``n_files`` texts of six short texts each, one sentence a line."""
    texts, _ = short_texts(n_files * 6)
    out = []
    for i in range(n_files):
        lines = [t.rstrip(".!? ") + "." for t in texts[i * 6 : (i + 1) * 6]]
        out.append("\n".join(lines))
    return out


def cli(n_files: int, baseline: Path | None) -> None:
    here = Path(sys.executable)
    proselint = shutil.which("proselint") or str(here.with_name("proselint"))
    purposeful = shutil.which("purposeful") or str(here.with_name("purposeful"))
    has_proselint = Path(proselint).exists()
    texts, source = short_texts(n_files)
    with tempfile.TemporaryDirectory() as tmp:
        for title, contents, extra in (
            (f"{n_files:,} short files ({source})", texts, []),
            (
                f"{n_files:,} files of six sentences, --format json",
                _six_sentence_files(n_files),
                ["--format", "json"],
            ),
        ):
            folder = Path(tmp) / f"copy{len(extra)}"
            folder.mkdir()
            for i, text in enumerate(contents):
                (folder / f"{i:05d}.txt").write_text(text + "\n", encoding="utf-8")
            print(f"\nCLI over {title} in one call")
            args = ["review", str(folder), "--fail-on", "never", *extra]
            ours = _command([purposeful, *args])
            print(f"  purposeful review           {_seconds(ours)}")
            rules = _command([purposeful, *args, "--no-classifier"])
            print(f"  purposeful review, rules    {_seconds(rules)}")
            if baseline is not None:
                env = {**os.environ, "PYTHONPATH": str(baseline)}
                old = _command([sys.executable, "-c", _CLI, *args[1:]], env=env)
                print(f"  the same, baseline lens     {_seconds(old)}")
                print(
                    f"  baseline / now              {old[0] / ours[0]:8.1f}x in CPU time "
                    f"({old[1] / ours[1]:.1f}x wall)"
                )
            if not has_proselint:
                print(
                    "  proselint                   not installed: pip install proselint"
                )
                continue
            theirs = _command([proselint, "check", str(folder)], repeat=2)
            print(f"  proselint check (baseline)  {_seconds(theirs)}")
            print(
                f"  ratio                       {theirs[0] / ours[0]:8.1f}x faster in CPU "
                f"time ({theirs[1] / ours[1]:.1f}x wall)   goal >= 5x"
            )


def _seconds(measured: tuple[float, float]) -> str:
    return f"{measured[0]:8.2f} s CPU  ({measured[1]:.2f} s wall)"


def _command(
    command: list[str], repeat: int = 3, env: dict[str, str] | None = None
) -> tuple[float, float]:
    def run() -> None:
        subprocess.run(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            env=env,
        )

    return _measure(run, repeat)


def extract(commit: str, into: Path) -> Path:
    """The lens as of ``commit`` under ``into``; returns its PYTHONPATH."""
    archive = subprocess.run(
        ["git", "archive", commit, "src/purposeful/lens"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    tar = into / "lens.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as fh:
        fh.extractall(into, filter="data")
    # a package of its own, so the checkout's purposeful is not found instead
    (into / "src" / "purposeful" / "__init__.py").write_text("", encoding="utf-8")
    return into / "src"


def _corpus_texts() -> list[str]:
    texts: list[str] = []
    files = sorted((ROOT / "training" / "corpus").glob("*.tsv"))
    files.append(ROOT / "training" / "heldout" / "lens-heldout.tsv")
    if EC_DARKPATTERN.is_file():
        files.append(EC_DARKPATTERN)
    for path in files:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            texts.extend(row["text"] for row in reader if row["text"])
    # and as six-sentence files, so that sentences meet in one text
    texts.extend("\n".join(texts[i : i + 6]) for i in range(0, len(texts), 6))
    return texts


def check(baseline: Path) -> None:
    """Exit 1 unless this lens and the baseline review every text alike."""
    texts = _corpus_texts()
    payload = json.dumps(texts)
    outputs = []
    for pythonpath in (ROOT / "src", baseline):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _DUMP, "3000"],
            input=payload,
            env={**os.environ, "PYTHONPATH": str(pythonpath)},
            cwd=pythonpath,
            check=True,
            capture_output=True,
            text=True,
        )
        outputs.append(json.loads(done.stdout))
        print(f"  reviewed under {pythonpath} in {time.perf_counter() - started:.1f} s")
    now, before = outputs
    findings = sum(len(r["findings"]) for r in now["batch"])
    for key in now:
        differ = [
            i
            for i, (a, b) in enumerate(zip(now[key], before[key], strict=False))
            if a != b
        ]
        if differ or len(now[key]) != len(before[key]):
            i = differ[0] if differ else 0
            print(f"  {key}: {len(differ):,} reviews differ, first of text {i}:")
            print(f"    now:    {json.dumps(now[key][i])[:400]}")
            print(f"    before: {json.dumps(before[key][i])[:400]}")
            sys.exit(1)
    print(
        f"  identical reviews of {len(texts):,} texts ({findings:,} findings), "
        "one by one, batched and as Markdown"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--baseline", default=BASELINE, help="baseline commit")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--check", action="store_true", help="compare reviews first")
    parser.add_argument("--library-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    print(one_core())
    with tempfile.TemporaryDirectory() as tmp:
        baseline = None if args.no_baseline else extract(args.baseline, Path(tmp))
        if args.check and baseline is not None:
            print(f"reviews of this lens and of {args.baseline}")
            check(baseline)
        library(args.texts)
        if args.library_only:
            return
        if baseline is not None:
            print(f"\nthe same, lens of {args.baseline} (baseline)")
            subprocess.run(
                [sys.executable, __file__, "--library-only", "--no-baseline"]
                + ["--texts", str(args.texts)],
                env={**os.environ, "PYTHONPATH": str(baseline)},
                check=True,
            )
        cli(args.files, baseline)


if __name__ == "__main__":
    main()
