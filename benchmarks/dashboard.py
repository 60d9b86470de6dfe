"""The purpose dashboard's cost at two sizes, against /api/v1/me in the same run.

For each size it seeds a fresh installation (``seed.py``), then, in one process
with the app's whole middleware stack (Django's test client, no network), times

- ``/api/v1/me``: the smallest signed-in request, the baseline;
- ``/dashboard/`` and ``/api/v1/dashboard`` with the figures kept (what every
  visitor gets);
- counting the figures once (``targets.dashboard.refresh``): what every request
  paid before the figures were kept, and what the background task pays now;

with the database queries of each. The goal: every page within 10× of the
baseline at 10,000 accounts.

    python benchmarks/dashboard.py                       # 1,000 and 10,000 accounts
    python benchmarks/dashboard.py --sizes 1000          # one size
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 10.0


def _measure(requests: int) -> dict:
    """Runs inside the seeded installation's process."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from seed import BENCH_PASSWORD  # noqa: F401 - the member the seed made

    from purposeful.cli import _setup_django

    _setup_django()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    from purposeful.people.models import Member
    from purposeful.targets import dashboard

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = True  # for the query log
    member = Member.objects.filter(is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(member)

    def timed(path: str) -> dict:
        client.get(path)  # warm: templates, the lens, connections
        times, queries = [], 0
        for _ in range(requests):
            reset_queries()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            queries = len(connection.queries)
            assert response.status_code == 200, (path, response.status_code)
        return {"median_ms": statistics.median(times), "queries": queries}

    dashboard.refresh()  # the lens compiled once, as in a running server
    counts = []
    for _ in range(3):
        reset_queries()
        started = time.perf_counter()
        dashboard.refresh()
        counts.append((time.perf_counter() - started) * 1000)
    return {
        "me": timed("/api/v1/me"),
        "page": timed("/dashboard/"),
        "api": timed("/api/v1/dashboard"),
        "count": {
            "median_ms": statistics.median(counts),
            "queries": len(connection.queries),
        },
    }


def _size(accounts: int, requests: int) -> dict:
    signals = accounts * 20
    data_dir = tempfile.mkdtemp(prefix="pf-dashboard-")
    env = {**os.environ, "PURPOSEFUL_DATA_DIR": data_dir}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "seed.py"),
            f"--accounts={accounts}",
            f"--contacts={accounts * 5}",
            f"--signals={signals}",
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seeded = time.perf_counter() - started
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(requests)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result.update(accounts=accounts, signals=signals, seeded_s=seeded)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000", help="accounts, comma-separated"
    )
    parser.add_argument("--requests", type=int, default=30, help="per page")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(_measure(args.measure)))
        return
    print(
        f"Purpose dashboard — SQLite, {args.requests} requests per page, "
        f"{os.cpu_count()} CPUs; baseline /api/v1/me in the same run"
    )
    failed = False
    for accounts in (int(n) for n in args.sizes.split(",")):
        r = _size(accounts, args.requests)
        me = r["me"]["median_ms"]
        print(
            f"\n{r['accounts']:,} accounts, {r['signals']:,} signals "
            f"(seeded in {r['seeded_s']:.0f} s)"
        )
        print(f"  {'':34} {'median':>9} {'× /me':>7} {'queries':>8}")
        rows = [
            ("/api/v1/me (baseline)", r["me"]),
            ("/dashboard/ (kept figures)", r["page"]),
            ("/api/v1/dashboard (kept figures)", r["api"]),
            ("counting once (before: per request)", r["count"]),
        ]
        for label, m in rows:
            ratio = m["median_ms"] / me if me else 0
            print(
                f"  {label:34} {m['median_ms']:7.1f} ms {ratio:6.1f}× {m['queries']:8}"
            )
        for label, m in rows[1:3]:
            if m["median_ms"] / me > GOAL_RATIO and accounts >= 10_000:
                failed = True
                print(f"  ✗ {label} is over {GOAL_RATIO:g}× /api/v1/me")
    print(f"\ngoal: each page within {GOAL_RATIO:g}× /api/v1/me at 10,000 accounts")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
