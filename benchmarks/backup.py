"""Backup and restore times, against the previous release in the same run.

Seeds one installation (``seed.py``: accounts, five contacts and twenty signals
each), then times ``purposeful backup`` of it and ``purposeful restore`` of that
backup into an empty data directory, with this checkout and with a previous
release (``--previous``, default c6f5522; extracted with ``git archive`` and run
from its own source on the same installed libraries). Both restores are checked
by backing them up again: the records must come out as they went in.

    python benchmarks/backup.py                    # 1,000 accounts, about a minute
    python benchmarks/backup.py --accounts 10000   # the issue's size, ~10 minutes
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _extract(ref: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def _purposeful(source: Path | None, data_dir: Path, *args: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PURPOSEFUL_DATA_DIR"] = str(data_dir)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "purposeful", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=source.parent if source is not None else ROOT,
    )
    return time.perf_counter() - started


def _records(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("data/")
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--previous", default="c6f5522")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="pf-backup-"))
    seeded = work / "seeded"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PURPOSEFUL_DATA_DIR"] = str(seeded)
    print(
        f"Backup and restore — SQLite, {args.accounts:,} accounts, "
        f"{args.accounts * 5:,} contacts, {args.accounts * 20:,} signals; "
        f"previous release {args.previous} in the same run"
    )
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "seed.py"),
            f"--accounts={args.accounts}",
            f"--contacts={args.accounts * 5}",
            f"--signals={args.accounts * 20}",
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"seeded in {time.perf_counter() - started:.0f} s\n")
    previous = _extract(args.previous, work)
    figures = {}
    for name, source in (("previous", previous), ("this checkout", None)):
        tag = "prev" if source else "now"
        backup = work / f"{tag}.zip"
        took_backup = _purposeful(source, seeded, "backup", str(backup))
        took_restore = _purposeful(
            source, work / f"{tag}-restored", "restore", str(backup)
        )
        again = work / f"{tag}-again.zip"
        _purposeful(source, work / f"{tag}-restored", "backup", str(again))
        same = _records(backup) == _records(again)
        figures[name] = (took_backup, took_restore, same)
    print(f"  {'':14} {'backup':>9} {'restore':>9}  round trip")
    for name, (took_backup, took_restore, same) in figures.items():
        print(
            f"  {name:14} {took_backup:7.1f} s {took_restore:7.1f} s  "
            f"{'identical' if same else 'DIFFERS'}"
        )
    (pb, pr, _), (nb, nr, _) = figures["previous"], figures["this checkout"]
    print(f"\n  faster: backup {pb / nb:.1f}×, restore {pr / nr:.1f}× (goal: 3× each)")
    if not all(same for *_, same in figures.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
