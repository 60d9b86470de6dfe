"""Honesty of the lens: how often it warns about purpose-led copy it never saw.

Reviews training/lens-heldout-purpose.txt (purpose-led copy written for this check and
kept out of the training corpus) and prints the share of texts that get a warning or
an error: the goal is at most 1 in 20. The rules-only lens is the baseline, measured
in the same run, so the classifier's own contribution to false alarms is visible.
On ec-darkpattern (if present beside the repository) it also prints how many of the
dark-pattern texts and of the ordinary texts the shipped lens flags. The shipped model
is trained on those rows too, so that is a check of the model file in both directions;
benchmarks/lens_generalisation.py measures the same copy in folds it was not trained
on.

    python benchmarks/lens_honesty.py
"""

from __future__ import annotations

import csv

from _lens_common import EC_DARKPATTERN, HELD_OUT, one_core


def warned(lens, texts: list[str]) -> list[tuple[str, list[str]]]:
    return [
        (text, [f"{f.id} ({f.source})" for f in review.findings])
        for text, review in zip(texts, lens.review_many(texts), strict=True)
        if any(f.severity in {"error", "warning"} for f in review.findings)
    ]


def main() -> None:
    print(one_core())
    from purposeful.lens import Lens, LensConfig

    lines = HELD_OUT.read_text(encoding="utf-8").splitlines()
    texts = [line for line in lines if line.strip() and not line.startswith("#")]
    full = Lens(LensConfig())
    rules = Lens(LensConfig(classifier=False))
    print(
        f"held-out purpose-led copy: {len(texts)} texts (goal: at most 1 in 20 warned)"
    )
    for name, lens in (("rules + classifier", full), ("rules only (baseline)", rules)):
        flagged = warned(lens, texts)
        print(
            f"  {name:<22} {len(flagged):3d} warned  ({len(flagged) / len(texts):.1%})"
        )
        for text, ids in flagged:
            print(f"      {text!r}: {', '.join(ids)}")
    if not EC_DARKPATTERN.is_file():
        return
    with open(EC_DARKPATTERN, encoding="utf-8", newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            if r["label"] in ("0", "1") and r["text"]
        ]
    print(
        "\nshipped lens on ec-darkpattern (it is trained on these rows too, so this "
        "checks the model file, not generalisation:\n"
        "lens_generalisation.py reviews each fold with a model trained without it):"
    )
    for label, name in (("1", "dark patterns"), ("0", "ordinary texts")):
        subset = [r["text"] for r in rows if r["label"] == label]
        for lens_name, lens in (("rules + classifier", full), ("rules only", rules)):
            share = len(warned(lens, subset)) / len(subset)
            print(f"  {name:<15} {lens_name:<19} {share:6.1%} flagged of {len(subset)}")


if __name__ == "__main__":
    main()
