"""Seed customers, contacts and signals into an installation, fast.

    PURPOSEFUL_DATA_DIR=/tmp/pf-bench python benchmarks/seed.py --scale full
    python benchmarks/seed.py --accounts 1000 --contacts 5000 --signals 20000

Works on the installation named by PURPOSEFUL_DATA_DIR / DATABASE_URL (created
and migrated when needed) and prints how long seeding took. Other benchmarks
import :func:`seed_installation` to prepare their data the same way.
"""

from __future__ import annotations

import argparse
import os
import sys

SCALES = {
    # the figures the issue names: 10,000 accounts, 50,000 contacts, 200,000 signals
    "full": (10_000, 50_000, 200_000),
    "medium": (2_000, 10_000, 40_000),
    "small": (500, 2_500, 10_000),
}
BENCH_PASSWORD = "benchmark-password-1"


def seed_installation(
    *, accounts: int, contacts: int, signals: int, quiet: bool = False
) -> dict:
    from purposeful.cli import _migrate, _setup_django

    _setup_django()
    _migrate()
    from purposeful.relationships.seeding import bench_member, seed

    result = seed(
        accounts=accounts,
        contacts=contacts,
        signals=signals,
        progress=None if quiet else lambda m: print(f"  {m}", file=sys.stderr),
    )
    bench_member(BENCH_PASSWORD)
    return {
        "accounts": result.accounts,
        "contacts": result.contacts,
        "signals": result.signals,
        "seconds": result.seconds,
        "teams": result.teams,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--accounts", type=int)
    parser.add_argument("--contacts", type=int)
    parser.add_argument("--signals", type=int)
    args = parser.parse_args(argv)
    accounts, contacts, signals = SCALES[args.scale]
    accounts = args.accounts if args.accounts is not None else accounts
    contacts = args.contacts if args.contacts is not None else contacts
    signals = args.signals if args.signals is not None else signals
    where = os.environ.get("DATABASE_URL") or os.environ.get(
        "PURPOSEFUL_DATA_DIR", "default data dir"
    )
    print(
        f"Seeding {accounts:,} accounts, {contacts:,} contacts, {signals:,} signals into {where}"
    )
    result = seed_installation(accounts=accounts, contacts=contacts, signals=signals)
    rate = (
        (accounts + contacts + signals) / result["seconds"] if result["seconds"] else 0
    )
    print(f"Seeded in {result['seconds']:.1f} s ({rate:,.0f} rows/s)")


if __name__ == "__main__":
    main()
