"""Team inbox, account timeline and signal search through the real HTTP stack.

Seeds an installation in a temporary data directory (or DATABASE_URL), starts
``purposeful serve`` in a subprocess on a free loopback port, signs in like a
browser and times pages one request at a time. Prints p50/p95 per page against
the 300 ms goal, and each page's ratio to a named baseline measured in the same
run: ``/api/v1/me``, the smallest authenticated request the app answers. A page
slower than 10× that baseline is marked OVER too.

    python benchmarks/relationships_http.py                 # small scale
    python benchmarks/relationships_http.py --scale full    # 10k / 50k / 200k
    python benchmarks/relationships_http.py --scale full --data-dir /tmp/pf-full
                                  # seeds /tmp/pf-full the first time, reuses it after

Pages are timed in rounds, each round asking for every page once, so a machine
that is busy for a while slows every page alike and the ratios stay comparable.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from seed import BENCH_PASSWORD, SCALES  # noqa: E402

from purposeful.datadir import DATABASE_FILE  # noqa: E402

GOAL_MS = 300.0
# every page within this many times the baseline, in the same run (issue 18)
GOAL_RATIO = 10.0
SEARCH_TERMS = ["wobbly wheel", "hub gear", "e-bike battery", "Schulz", "course dates"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A tiny keep-alive HTTP client with cookies, enough to sign in and time pages."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        headers["Host"] = f"127.0.0.1:{self.port}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.decode(),
                "username": username,
                "password": password,
            }
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302:
            raise SystemExit(f"could not sign in (HTTP {status})")

    def time(self, path: str) -> float:
        started = time.perf_counter()
        status, _ = self.request("GET", path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise SystemExit(f"{path} answered HTTP {status}")
        return elapsed


def _wait_until_up(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start in time")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _targets(env: dict) -> dict:
    """Which team, account and search terms to ask for, read from the database."""
    code = (
        "import os,json;os.environ.setdefault('DJANGO_SETTINGS_MODULE','purposeful.settings');"
        "import django;django.setup();"
        "from django.db.models import Count;"
        "from purposeful.organisation.models import Team;"
        "from purposeful.relationships.models import Account;"
        "team=Team.objects.annotate(n=Count('signals')).order_by('-n').first();"
        "acc=Account.objects.annotate(n=Count('signals')+Count('conversations')).order_by('-n').first();"
        "print(json.dumps({'team':team.slug,'account':acc.pk}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--requests", type=int, default=40, help="per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--data-dir",
        help="a data directory to seed when it has no database yet, and reuse after",
    )
    args = parser.parse_args(argv)

    accounts, contacts, signals = SCALES[args.scale]
    temp = None
    data_dir = args.data_dir
    if not data_dir:
        temp = tempfile.mkdtemp(prefix="pf-bench-")
        data_dir = temp
    env = {**os.environ, "PURPOSEFUL_DATA_DIR": data_dir}
    database = env.get("DATABASE_URL", "").split(":", 1)[0] or "sqlite"
    print(
        f"Relationships over HTTP — {database}, {accounts:,} accounts, "
        f"{contacts:,} contacts, {signals:,} signals, {args.workers} workers, "
        f"{os.cpu_count()} CPUs"
    )
    seeded = bool(env.get("DATABASE_URL")) or (Path(data_dir) / DATABASE_FILE).exists()
    if args.data_dir and seeded:
        print(f"reusing {data_dir}")
    else:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "seed.py"),
                f"--accounts={accounts}",
                f"--contacts={contacts}",
                f"--signals={signals}",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(f"seeded in {time.perf_counter() - started:.1f} s")
    targets = _targets(env)

    port = _free_port()
    purposeful = shutil.which("purposeful", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [
            purposeful or "purposeful",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--no-task-worker",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, server)
        browser = Browser(port)
        browser.sign_in("bench", BENCH_PASSWORD)
        pages = {
            "baseline /api/v1/me": ["/api/v1/me"],
            "all inboxes": ["/inbox/"],
            "team inbox (open signals)": [f"/inbox/{targets['team']}/"],
            "team inbox, page 20": [f"/inbox/{targets['team']}/?state=&page=20"],
            "account timeline": [f"/customers/{targets['account']}/"],
            "search across inboxes": [
                "/inbox/search/?" + urllib.parse.urlencode({"q": term, "state": ""})
                for term in SEARCH_TERMS
            ],
            "customer search": ["/customers/?q=Riverside"],
        }
        for paths in pages.values():  # warm up every worker and cache
            for path in paths:
                for _ in range(3):
                    browser.time(path)
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for n in range(args.requests):
            for name, paths in pages.items():
                timings[name].append(browser.time(paths[n % len(paths)]))
        results = {
            name: (statistics.median(values), _percentile(values, 95))
            for name, values in timings.items()
        }
        base_p50 = results["baseline /api/v1/me"][0]
        print(
            f"{'page':30} {'p50 ms':>8} {'p95 ms':>8} {'× base':>7}  "
            f"goal p95 < {GOAL_MS:.0f} ms and p50 ≤ {GOAL_RATIO:.0f}× base"
        )
        for name, (p50, p95) in results.items():
            ratio = p50 / base_p50
            verdict = (
                ""
                if name.startswith("baseline")
                else ("ok" if p95 < GOAL_MS and ratio <= GOAL_RATIO else "OVER")
            )
            print(f"{name:30} {p50:8.1f} {p95:8.1f} {ratio:7.1f}  {verdict}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
