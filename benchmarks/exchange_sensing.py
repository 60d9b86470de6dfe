"""Sensing, CSV import and its preview on a large seeded organisation.

    PURPOSEFUL_DATA_DIR=/tmp/pf-bench8 python benchmarks/seed.py --scale full
    PURPOSEFUL_DATA_DIR=/tmp/pf-bench8 python benchmarks/exchange_sensing.py --rows 50000

Prints, for the installation named by PURPOSEFUL_DATA_DIR (seeded first with
``--seed SCALE`` when it is empty):

* sensing over every signal (goal: under 5 minutes on 2 cores), against the
  baseline of only reading the signals' words from the database;
* the preview (dry run) of a fresh N-row HubSpot-style CSV (goal: under 10 s) and
  its import (goal: under a minute), against the baseline of Python's csv module
  reading the same file;
* the preview of the same file again, which must find every row a duplicate.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _csv(rows: int, tag: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["First Name", "Last Name", "Email", "Phone Number", "Company Name",
         "Marketing contact status"]
    )  # fmt: skip
    for i in range(rows):
        writer.writerow(
            [f"Rider{i}", f"Benchmark{tag}", f"rider{i}.{tag}@bench.example",
             f"+31 6 {i:08d}", f"Bench Company {tag} {i // 5}",
             "Marketing contact" if i % 3 else ""]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", choices=["full", "medium", "small"])
    parser.add_argument("--skip-sensing", action="store_true")
    args = parser.parse_args(argv)

    from purposeful.cli import _migrate, _setup_django

    _setup_django()
    _migrate()
    from purposeful.feedback.models import Signal

    if args.seed and not Signal.objects.exists():
        from seed import SCALES, seed_installation

        a, c, s = SCALES[args.seed]
        seed_installation(accounts=a, contacts=c, signals=s)

    from django.db import connection

    from purposeful.exchange import services as exchange
    from purposeful.organisation.models import Team
    from purposeful.people.models import Member
    from purposeful.sensing import services as sensing

    print(f"database: {connection.vendor}; CPUs: {os.cpu_count()}")
    print(f"signals: {Signal.objects.count():,}")

    if not args.skip_sensing:
        started = time.perf_counter()
        words = list(
            Signal.objects.filter(merged_into__isnull=True).values_list(
                "words", flat=True
            )
        )
        read = time.perf_counter() - started
        started = time.perf_counter()
        run = sensing.sensing_compute()
        took = time.perf_counter() - started
        print(
            f"sensing: {took:.1f} s for {run.signal_count:,} signals, {run.group_count} "
            f"groups ({run.method}); goal < 300 s: {'met' if took < 300 else 'MISSED'}"
        )
        print(f"  baseline, reading the {len(words):,} texts only: {read:.2f} s "
              f"(sensing = {took / read:.0f}x)")  # fmt: skip

    team = Team.objects.order_by("pk").first()
    member = Member.objects.filter(memberships__team=team, is_active=True).first()
    if member is None:
        from purposeful.organisation.models import Membership

        member = Member.objects.create(
            username=f"bench-importer-{time.time_ns()}", email="b@bench.example"
        )
        Membership.objects.create(team=team, member=member)
    tag = str(time.time_ns())[-8:]
    data = _csv(args.rows, tag)
    started = time.perf_counter()
    n = sum(1 for _ in csv.DictReader(io.StringIO(data.decode("utf-8"))))
    baseline = time.perf_counter() - started
    print(f"import file: {n:,} rows, {len(data) / 1e6:.1f} MB")
    print(f"  baseline, csv.DictReader reading it: {baseline:.2f} s")

    started = time.perf_counter()
    job = exchange.import_preview(
        actor=member, team=team, data=data, filename="bench.csv"
    )
    preview = time.perf_counter() - started
    print(
        f"preview: {preview:.1f} s ({preview / baseline:.0f}x baseline); "
        f"{job.planned_contacts:,} new contacts, {job.error_rows} errors; "
        f"goal < 10 s: {'met' if preview < 10 else 'MISSED'}"
    )
    started = time.perf_counter()
    job = exchange.import_commit(actor=member, job=job)
    commit = time.perf_counter() - started
    print(
        f"import: {commit:.1f} s ({commit / baseline:.0f}x baseline); "
        f"{job.contacts_created:,} contacts, {job.accounts_created:,} customers; "
        f"goal < 60 s: {'met' if commit < 60 else 'MISSED'}"
    )
    assert job.contacts_created == args.rows, job.message
    started = time.perf_counter()
    again = exchange.import_preview(
        actor=member, team=team, data=data, filename="bench.csv"
    )
    print(
        f"re-import preview: {time.perf_counter() - started:.1f} s; "
        f"{again.duplicate_rows:,} of {again.total_rows:,} rows found as duplicates"
    )
    again.delete()


if __name__ == "__main__":
    main()
