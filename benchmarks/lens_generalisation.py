"""Generalisation of the lens: what it catches in copy unlike what it was trained on.

Three measures, each printed beside the previous shipped lens (``--previous``, default
c81e0cf: its ``src/purposeful/lens`` extracted with ``git archive`` and run in a
subprocess) on the same texts in the same run:

1. Leave one out. For a sector or a register of the training corpus
   (``training/corpus/*.tsv``), train the classifier on every other row (and on
   ``training/lens-corpus.tsv``, which has neither column, and ec-darkpattern's
   categorised rows when it is beside the repository, as the shipped model is;
   ``--without-public`` leaves those out), then review the rows
   left out through the full pipeline, rules and that classifier, as reviews use
   it. The default run leaves out four sectors and two registers (about six
   minutes on the 2-core development machine, most of it the training); ``--all``
   leaves out every sector and every register in turn.
2. ec-darkpattern (beside the repository) in five folds: the shipped recipe trained
   without one fold, then that fold reviewed: the shipped model has seen all of it,
   so this is what says how it reads other people's shop copy.
3. The held-out file ``training/heldout/lens-heldout.tsv``, written apart from the
   corpus in sectors and registers it lacks, reviewed by the shipped lens. Nothing
   is ever trained or tuned on it.

A manipulative text counts as caught when its review has a warning (or error) of its
own category; "flagged" counts a warning of any category. A false alarm is an honest
text with any warning.

    python benchmarks/lens_generalisation.py [--all] [--sectors a,b] [--registers x]
        [--thresholds 0.6,0.7,0.8] [--public-folds 5] [--heldout-only]
        [--previous c81e0cf]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

from _lens_common import EC_DARKPATTERN, ROOT, one_core

CORPUS_DIR = ROOT / "training" / "corpus"
EARLIER = ROOT / "training" / "lens-corpus.tsv"
HELDOUT = ROOT / "training" / "heldout" / "lens-heldout.tsv"
DEFAULT_SECTORS = ("insurance", "cosmetics", "charity", "software")
DEFAULT_REGISTERS = ("sms", "slogan")
SERIOUS = ("error", "warning")

#: Reviews texts read as JSON from stdin with the lens found on sys.path, and
#: prints each text's findings as [id, severity, source, confidence] lists.
_REVIEWER = """
import json, sys
from purposeful.lens import Lens, LensConfig
texts = json.load(sys.stdin)
threshold = float(sys.argv[1])
model = sys.argv[2] if len(sys.argv) > 2 else None
lens = Lens(LensConfig(threshold=threshold, model=model))
out = [
    [[f.id, f.severity, f.source, getattr(f, "confidence", None)] for f in r.findings]
    for r in lens.review_many(texts)
]
json.dump(out, sys.stdout)
"""


def previous_lens(commit: str, into: Path) -> Path:
    """Extract the lens as of ``commit`` under ``into``; returns its PYTHONPATH."""
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
    # a package of its own, so the checkout's purposeful (installed in the venv)
    # is not found instead
    (into / "src" / "purposeful" / "__init__.py").write_text("", encoding="utf-8")
    return into / "src"


def reviewed(
    texts: list[str], pythonpath: Path, threshold: float, model: Path | None = None
) -> list[list[list]]:
    """Findings of ``texts`` by the lens under ``pythonpath``, in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    args = [sys.executable, "-c", _REVIEWER, str(threshold)]
    if model is not None:
        args.append(str(model))
    done = subprocess.run(
        args,
        input=json.dumps(texts),
        env=env,
        cwd=pythonpath,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def in_process(
    texts: list[str], threshold: float, model: Path | None, *, encoder: bool = False
) -> list[list]:
    """Findings of ``texts`` by this checkout's lens (``model``: another model)."""
    from purposeful.lens import Lens, LensConfig

    config = LensConfig(
        threshold=threshold, model=str(model) if model else None, encoder=encoder
    )
    lens = Lens(config)
    return [
        [[f.id, f.severity, f.source, f.confidence] for f in r.findings]
        for r in lens.review_many(texts)
    ]


class Tally:
    """Caught, flagged and false alarms per category, at one threshold."""

    def __init__(self) -> None:
        self.total: Counter[str] = Counter()
        self.caught: Counter[str] = Counter()
        self.flagged: Counter[str] = Counter()

    def add(self, labels: list[str], findings: list[list], threshold: float) -> None:
        for label, found in zip(labels, findings, strict=True):
            ids = {
                fid
                for fid, severity, source, confidence in found
                if severity in SERIOUS
                and (source != "classifier" or (confidence or 1.0) >= threshold)
            }
            self.total[label] += 1
            self.flagged[label] += bool(ids)
            self.caught[label] += label in ids

    def recall(self, label: str) -> float:
        return self.caught[label] / self.total[label] if self.total[label] else 0.0

    def overall(self) -> tuple[float, float, int, int]:
        """(recall over manipulative texts, false-alarm share, their counts)."""
        bad = [x for x in self.total if x != "none"]
        n = sum(self.total[x] for x in bad)
        caught = sum(self.caught[x] for x in bad)
        honest = self.total["none"]
        alarms = self.flagged["none"]
        return (
            caught / n if n else 0.0,
            alarms / honest if honest else 0.0,
            n,
            honest,
        )


def print_table(title: str, tallies: dict[str, Tally]) -> None:
    """Per-category recall of each lens, then the false alarms."""
    names = list(tallies)
    print(f"\n{title}")
    header = "".join(f"{n:>22}" for n in names)
    print(f"  {'category':<30}{'texts':>6}{header}")
    first = tallies[names[0]]
    for label in sorted(x for x in first.total if x != "none"):
        cells = "".join(f"{t.recall(label):>22.3f}" for t in tallies.values())
        print(f"  {label:<30}{first.total[label]:>6}{cells}")
    overall = [t.overall() for t in tallies.values()]
    cells = "".join(f"{o[0]:>22.3f}" for o in overall)
    print(f"  {'recall, all manipulative':<30}{overall[0][2]:>6}{cells}")
    alarms = [
        f"{t.flagged['none']} ({o[1]:.1%})"
        for t, o in zip(tallies.values(), overall, strict=True)
    ]
    cells = "".join(f"{a:>22}" for a in alarms)
    print(f"  {'false alarms on honest texts':<30}{overall[0][3]:>6}{cells}")


def leave_outs(args: argparse.Namespace) -> list[tuple[str, str]]:
    from purposeful.lens._train import read_rows

    rows = read_rows(CORPUS_DIR)
    if args.all:
        sectors = sorted({r["sector"] for r in rows})
        registers = sorted({r["register"] for r in rows})
    else:
        sectors = args.sectors.split(",") if args.sectors else DEFAULT_SECTORS
        registers = args.registers.split(",") if args.registers else DEFAULT_REGISTERS
    return [("sector", s) for s in sectors if s] + [
        ("register", r) for r in registers if r
    ]


def run_leave_outs(
    args: argparse.Namespace, previous: Path | None, thresholds: list[float]
) -> None:
    from dataclasses import replace

    from purposeful.lens._train import CATEGORY_SETTINGS, FeatureCache, read_rows, train

    settings = CATEGORY_SETTINGS
    if args.class_weight is not None:
        settings = replace(settings, class_weight=args.class_weight)
    if args.c is not None:
        settings = replace(settings, c=args.c)
    if args.embedding_weight is not None:
        settings = replace(settings, embedding_weight=args.embedding_weight)
    if args.min_df is not None:
        settings = replace(settings, min_df=args.min_df)
    if args.prior is not None:
        settings = replace(settings, prior=args.prior or None)

    corpus = read_rows(CORPUS_DIR)
    earlier = read_rows(EARLIER) if EARLIER.is_file() else []
    if not args.without_public and EC_DARKPATTERN.is_file():
        # public dark-pattern copy the shipped model is trained on too: always on
        # the training side, as its categories (see training/README.md)
        public = [
            {**r, "label": r["finding"]}
            for r in read_rows(EC_DARKPATTERN)
            if r.get("finding")
        ]
        print(f"also trained on: {len(public)} rows of {EC_DARKPATTERN.name}")
        earlier += public
    cache = FeatureCache()
    low = min(thresholds)
    tallies = {f"retrained @{t:g}": Tally() for t in thresholds}
    before = Tally()
    seconds: list[float] = []
    print(f"corpus: {len(corpus)} rows (+{len(earlier)} from {EARLIER.name})")
    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "model.bin"
        for kind, value in leave_outs(args):
            kept = [r for r in corpus if r.get(kind) != value] + earlier
            left = [r for r in corpus if r.get(kind) == value]
            if not left:
                print(f"  {kind} {value!r}: no rows, skipped")
                continue
            started = time.perf_counter()
            model = train(
                [r["text"] for r in kept],
                [r["label"] for r in kept],
                cache=cache,
                settings=settings,
            )
            seconds.append(time.perf_counter() - started)
            model.save(model_path)
            texts = [r["text"] for r in left]
            labels = [r["label"] for r in left]
            found = in_process(texts, low, model_path)
            one = Tally()
            for t in thresholds:
                tallies[f"retrained @{t:g}"].add(labels, found, t)
            one.add(labels, found, 0.8)
            line = (
                f"  {kind} {value!r}: trained on {len(kept)} in {seconds[-1]:.0f} s; "
                f"{len(left)} left out: recall {one.overall()[0]:.3f}, "
                f"false alarms {one.overall()[1]:.1%}"
            )
            if previous is not None:
                old = reviewed(texts, previous, 0.8)
                prev_one = Tally()
                prev_one.add(labels, old, 0.8)
                before.add(labels, old, 0.8)
                line += (
                    f"  (previous: {prev_one.overall()[0]:.3f}, "
                    f"{prev_one.overall()[1]:.1%})"
                )
            print(line, flush=True)
    if previous is not None:
        tallies[f"previous ({args.previous})"] = before
    print_table("left-out rows, per category (recall; threshold @t)", tallies)
    if seconds:
        print(
            f"\ntraining: {sum(seconds) / len(seconds):.0f} s per model on average "
            f"({len(seconds)} models; the first also featurises every text)"
        )


def run_public_folds(
    args: argparse.Namespace, previous: Path | None, thresholds: list[float]
) -> None:
    """ec-darkpattern in folds: the shipped recipe trained without one fold, which
    is then reviewed (its dark patterns as their categories, its ordinary shop copy
    as honest). The shipped model has seen every fold, so only this says what it
    does with such copy."""
    import random

    from purposeful.lens._train import CATEGORY_SETTINGS, FeatureCache, read_rows, train

    if not EC_DARKPATTERN.is_file():
        print(f"\n{EC_DARKPATTERN.name}: not found, skipped")
        return
    public = [r for r in read_rows(EC_DARKPATTERN) if r.get("finding")]
    random.Random(0).shuffle(public)
    own = read_rows(CORPUS_DIR) + (read_rows(EARLIER) if EARLIER.is_file() else [])
    folds = args.public_folds
    print(
        f"\n{EC_DARKPATTERN.name} in {folds} folds: {len(public)} rows "
        "(dark patterns of scarcity, social proof, urgency and misdirection; "
        "ordinary shop copy as honest)"
    )
    cache = FeatureCache()
    tallies = {f"retrained @{t:g}": Tally() for t in thresholds}
    before = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "model.bin"
        for fold in range(folds):
            kept = own + [r for i, r in enumerate(public) if i % folds != fold]
            left = [r for i, r in enumerate(public) if i % folds == fold]
            model = train(
                [r["text"] for r in kept],
                [r.get("finding") or r["label"] for r in kept],
                cache=cache,
                settings=CATEGORY_SETTINGS,
            )
            model.save(model_path)
            texts = [r["text"] for r in left]
            labels = [r["finding"] for r in left]
            found = in_process(texts, min(thresholds), model_path)
            for t in thresholds:
                tallies[f"retrained @{t:g}"].add(labels, found, t)
            if previous is not None:
                before.add(labels, reviewed(texts, previous, 0.8), 0.8)
            print(f"  fold {fold + 1} of {folds} done", flush=True)
    if previous is not None:
        tallies[f"previous ({args.previous})"] = before
    print_table(f"{EC_DARKPATTERN.name}, the left-out fold (recall)", tallies)


def run_heldout(
    args: argparse.Namespace, previous: Path | None, thresholds: list[float]
) -> None:
    from purposeful.lens._train import read_rows

    if not HELDOUT.is_file():
        print(f"\n{HELDOUT.relative_to(ROOT)}: not found, skipped")
        return
    rows = read_rows(HELDOUT)
    texts = [r["text"] for r in rows]
    labels = [r["label"] for r in rows]
    sectors = len({r.get("sector", "") for r in rows})
    registers = len({r.get("register", "") for r in rows})
    print(
        f"\nheld-out file: {len(rows)} texts, {sectors} sectors, {registers} "
        "registers (never trained or tuned on)"
    )
    from purposeful.lens._encoder import encoder_available

    found = in_process(texts, min(thresholds), None)
    tallies = {}
    for t in thresholds:
        tallies[f"shipped @{t:g}"] = Tally()
        tallies[f"shipped @{t:g}"].add(labels, found, t)
    if encoder_available():
        # the web app's lens: the fine-tuned MiniLM decides for the classifier
        found = in_process(texts, min(thresholds), None, encoder=True)
        for t in thresholds:
            tallies[f"encoder @{t:g}"] = Tally()
            tallies[f"encoder @{t:g}"].add(labels, found, t)
    else:
        print("  (the encoder needs onnxruntime: its figures are left out)")
    if previous is not None:
        tallies[f"previous ({args.previous})"] = Tally()
        tallies[f"previous ({args.previous})"].add(
            labels, reviewed(texts, previous, 0.8), 0.8
        )
    print_table("held-out file, per category (recall)", tallies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every leave-out")
    parser.add_argument("--sectors", help="comma-separated sectors to leave out")
    parser.add_argument("--registers", help="comma-separated registers to leave out")
    parser.add_argument(
        "--thresholds",
        default="0.8",
        help="classifier thresholds to report (default: the lens's 0.8)",
    )
    parser.add_argument(
        "--class-weight",
        type=float,
        help="weight of a manipulative training row against an honest one (trying)",
    )
    parser.add_argument("--c", type=float, help="regularisation to try instead")
    parser.add_argument("--min-df", type=int, help="feature frequency floor to try")
    parser.add_argument(
        "--embedding-weight", type=float, help="weight of the static vectors to try"
    )
    parser.add_argument(
        "--prior", type=float, help="share of manipulation to assume (0: as trained)"
    )
    parser.add_argument(
        "--without-public",
        action="store_true",
        help="train the left-out models on the project's corpus alone",
    )
    parser.add_argument(
        "--public-folds",
        type=int,
        default=5,
        help="folds of ec-darkpattern to train without and review (0: skip)",
    )
    parser.add_argument("--heldout-only", action="store_true")
    parser.add_argument("--no-heldout", action="store_true")
    parser.add_argument("--previous", default="c81e0cf", help="baseline commit")
    parser.add_argument(
        "--no-previous", action="store_true", help="skip the baseline lens"
    )
    args = parser.parse_args()
    print(one_core())
    thresholds = sorted(float(t) for t in args.thresholds.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        previous = None if args.no_previous else previous_lens(args.previous, Path(tmp))
        if not args.heldout_only:
            run_leave_outs(args, previous, thresholds)
            if args.public_folds:
                run_public_folds(args, previous, thresholds)
        if not args.no_heldout:
            run_heldout(args, previous, thresholds)


if __name__ == "__main__":
    main()
