"""Load: concurrent clients against the real server, then proof that nothing was lost.

Seeds a large organisation (``seed.py``'s ``seed_installation``) into a
temporary data directory — or the PostgreSQL database in ``DATABASE_URL``, or
a throwaway PostgreSQL cluster with ``--postgres`` — starts ``purposeful serve
--workers 2`` on a free loopback port and drives it with concurrent clients for
a bounded time: pages and API reads, signals and conversations written through
the API, and the public feedback form (its time trap satisfied, its rate limit
raised for the run). Prints requests/second, p50/p95/p99 and errors (which must
be zero), then reads the database to check that every accepted write is there.

    python benchmarks/load.py                        # SQLite, 60 s, 8 clients
    python benchmarks/load.py --postgres             # a throwaway PostgreSQL cluster
    python benchmarks/load.py --postgres --restart-db-at 20
                                                     # restart PostgreSQL mid-run: 503s
                                                     # with Retry-After, then recovery

Everything stays on 127.0.0.1; every client loop ends at the deadline.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from seed import BENCH_PASSWORD  # noqa: E402

SCALES = {
    # accounts, contacts, signals
    "large": (10_000, 50_000, 200_000),
    "medium": (2_000, 10_000, 40_000),
    "small": (300, 1_500, 5_000),
    "tiny": (60, 200, 600),
}
BENCH_USER = "bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- a throwaway PostgreSQL cluster ------------------------------------------------


class Cluster:
    """initdb into a temporary folder as user postgres; pg_ctl on 127.0.0.1."""

    def __init__(self) -> None:
        initdbs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not initdbs:
            raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
        self.bin = initdbs[-1].parent
        self.dir = Path(tempfile.mkdtemp(prefix="purposeful-pg-"))
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def start(self) -> str:
        if self._as_postgres:
            shutil.chown(self.dir, "postgres")
        self._run(
            "initdb",
            "-D",
            f"{self.dir}/data",
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
        )
        self._pg_ctl_start()
        self._run(
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "purposeful",
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/purposeful"

    def _pg_ctl_start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            f"{self.dir}/data",
            "-l",
            f"{self.dir}/log",
            "-w",
            "-o",
            f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c full_page_writes=off -c max_connections=200",
            "start",
        )

    def restart(self, down_seconds: float = 2.0) -> None:
        """Stop the server (dropping every connection), wait, start it again."""
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
        time.sleep(down_seconds)
        self._pg_ctl_start()

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


# -- the server ------------------------------------------------------------------


def load_env(data_dir: str, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PURPOSEFUL_DATA_DIR": data_dir,
        # The public form's guards, relaxed for the run: no time trap and a rate
        # limit no run reaches (the trap's token is still required and checked).
        "PURPOSEFUL_FEEDBACK_MIN_SECONDS": "0",
        "PURPOSEFUL_FEEDBACK_PER_HOUR": "100000000",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def seed(env: dict[str, str], scale: str) -> dict:
    accounts, contacts, signals = SCALES[scale]
    code = (
        f"import json,sys;sys.path.insert(0,{str(ROOT / 'benchmarks')!r});"
        "from seed import seed_installation;"
        f"r=seed_installation(accounts={accounts},contacts={contacts},"
        f"signals={signals},quiet=True);print(json.dumps(r))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _django(env: dict[str, str], body: str) -> dict:
    """Run a few lines of Django code against the installation; JSON back."""
    code = (
        "import json,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','purposeful.settings');"
        "import django;django.setup();\n" + body
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def targets(env: dict[str, str]) -> dict:
    """A bench token, the teams, some accounts and a published offer to ask for."""
    return _django(
        env,
        "from purposeful.organisation.models import Team\n"
        "from purposeful.relationships.models import Account\n"
        "from purposeful.people.models import Member\n"
        "from purposeful.people.services import token_create\n"
        "from purposeful.feedback.services import settings_get\n"
        "m=Member.objects.get(username='bench')\n"
        "token=token_create(actor=m, member=m, name='load')[1]\n"
        "teams=list(Team.objects.order_by('pk').values('pk','slug'))\n"
        "s=settings_get(); s.general_team_id=s.general_team_id or teams[0]['pk']; s.save()\n"
        "accounts=list(Account.objects.order_by('pk').values_list('pk',flat=True)[:200])\n"
        "print(json.dumps({'token':token,'teams':teams,'accounts':accounts}))",
    )


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    purposeful = shutil.which("purposeful", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [
            purposeful or "purposeful",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/api/v1/organisation")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return server
        except OSError:
            time.sleep(0.3)
        finally:
            conn.close()
    raise SystemExit("the server did not start in time")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


# -- the clients -------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    unavailable: int = 0  # 503 with Retry-After, retried
    signals: set[str] = field(default_factory=set)
    conversations: set[str] = field(default_factory=set)
    feedback: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One keep-alive connection with cookies: a signed-in member's browser and token."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None, *, api=False):
        headers = dict(headers or {})
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return response.status, data, response.getheader("Retry-After")

    def sign_in(self) -> None:
        status, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": BENCH_USER,
                "password": BENCH_PASSWORD,
            }
        )
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302:
            raise RuntimeError(f"could not sign in (HTTP {status})")


def _json(payload: dict) -> tuple[str, dict]:
    return json.dumps(payload), {"Content-Type": "application/json"}


def client_loop(
    number: int,
    port: int,
    deadline: float,
    target: dict,
    tag: str,
    tally: Tally,
    *,
    retry_unavailable: bool,
) -> None:
    client = Client(port, target["token"])
    try:
        _client_loop(
            client, number, port, deadline, target, tag, tally, retry_unavailable
        )
    finally:
        client.conn.close()


def _client_loop(client, number, port, deadline, target, tag, tally, retry_unavailable):
    rng = random.Random(number)
    try:
        client.sign_in()
    except Exception as error:  # noqa: BLE001 - counted, not hidden
        with tally.lock:
            tally.errors.append(f"client {number}: sign-in failed: {error}")
        return
    teams = target["teams"]
    accounts = target["accounts"]
    sequence = 0
    while time.monotonic() < deadline:
        sequence += 1
        marker = f"load {tag} c{number} n{sequence}"
        team = rng.choice(teams)
        account = rng.choice(accounts)
        roll = rng.random()
        if roll < 0.12:
            kind, steps = "page /start/", [("GET", "/start/", None, {}, False, 200)]
        elif roll < 0.24:
            kind = "page team inbox"
            steps = [("GET", f"/inbox/{team['slug']}/", None, {}, False, 200)]
        elif roll < 0.34:
            kind = "page account"
            steps = [("GET", f"/customers/{account}/", None, {}, False, 200)]
        elif roll < 0.40:
            kind = "page catalogue"
            steps = [("GET", "/offers/", None, {}, False, 200)]
        elif roll < 0.52:
            kind = "api signals"
            steps = [("GET", f"/api/v1/signals?team={team['pk']}", None, {}, True, 200)]
        elif roll < 0.62:
            kind = "api account"
            steps = [("GET", f"/api/v1/accounts/{account}", None, {}, True, 200)]
        elif roll < 0.76:
            kind = "write signal"
            body, headers = _json({"team": team["pk"], "kind": "need", "words": marker})
            steps = [("POST", "/api/v1/signals", body, headers, True, 201)]
        elif roll < 0.90:
            kind = "write conversation"
            body, headers = _json({"kind": "call", "summary": marker})
            steps = [
                (
                    "POST",
                    f"/api/v1/accounts/{account}/conversations",
                    body,
                    headers,
                    True,
                    201,
                )
            ]
        else:
            kind = "public form"
            steps = [("GET", "/api/v1/feedback/form", None, {}, False, 200)]
        ok = True
        for method, path, body, headers, api, expected in steps:
            result = _timed(
                client,
                method,
                path,
                body,
                headers,
                api,
                tally,
                retry_unavailable,
                deadline,
            )
            if result is None:
                ok = False
                break
            status, data = result
            if status != expected:
                with tally.lock:
                    tally.errors.append(
                        f"{method} {path}: HTTP {status} {data[:200]!r}"
                    )
                ok = False
                break
            if kind == "public form":
                started = json.loads(data)["started"]
                body, headers = _json(
                    {
                        "words": marker,
                        "kind": "question",
                        "started": started,
                        "website": "",
                    }
                )
                result = _timed(
                    client,
                    "POST",
                    "/api/v1/feedback",
                    body,
                    headers,
                    False,
                    tally,
                    retry_unavailable,
                    deadline,
                )
                if result is None or result[0] != 201:
                    if result is not None:
                        with tally.lock:
                            tally.errors.append(
                                f"POST /api/v1/feedback: HTTP {result[0]} {result[1][:200]!r}"
                            )
                    ok = False
        if ok:
            with tally.lock:
                tally.kinds[kind] += 1
                if kind == "write signal":
                    tally.signals.add(marker)
                elif kind == "write conversation":
                    tally.conversations.add(marker)
                elif kind == "public form":
                    tally.feedback.add(marker)


def _timed(
    client, method, path, body, headers, api, tally, retry_unavailable, deadline
):
    """One request; a 503 with Retry-After is retried when the run expects faults."""
    while True:
        started = time.perf_counter()
        try:
            status, data, retry_after = client.request(
                method, path, body, headers, api=api
            )
        except (OSError, http.client.HTTPException) as error:
            if retry_unavailable and time.monotonic() < deadline + 30:
                with tally.lock:
                    tally.unavailable += 1
                time.sleep(0.5)
                continue
            with tally.lock:
                tally.errors.append(
                    f"{method} {path}: {error.__class__.__name__} {error}"
                )
            return None
        elapsed = (time.perf_counter() - started) * 1000
        if (
            status == 503
            and retry_after
            and retry_unavailable
            and time.monotonic() < deadline + 30
        ):
            with tally.lock:
                tally.unavailable += 1
            time.sleep(min(float(retry_after), 1.0))
            continue
        with tally.lock:
            tally.latencies.append(elapsed)
        return status, data


def drive(
    port: int, target: dict, *, clients: int, seconds: float, restart=None
) -> tuple[Tally, float, str]:
    tag = uuid.uuid4().hex[:10]
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client_loop,
            args=(n, port, deadline, target, tag, tally),
            kwargs={"retry_unavailable": restart is not None},
            daemon=True,
        )
        for n in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    if restart is not None:
        at, action = restart
        time.sleep(at)
        action()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return tally, time.perf_counter() - started, tag


def verify(env: dict[str, str], tag: str, tally: Tally) -> dict[str, int]:
    """How many accepted writes are missing from the database, per kind."""
    found = _django(
        env,
        "from purposeful.feedback.models import Signal\n"
        "from purposeful.relationships.models import Conversation\n"
        f"p='load {tag} '\n"
        "print(json.dumps({"
        "'signals': list(Signal.objects.filter(words__startswith=p, source='conversation').values_list('words', flat=True)),"
        "'feedback': list(Signal.objects.filter(words__startswith=p, source='public_form').values_list('words', flat=True)),"
        "'conversations': list(Conversation.objects.filter(summary__startswith=p).values_list('summary', flat=True))}))",
    )
    return {
        "signals": len(tally.signals - set(found["signals"])),
        "conversations": len(tally.conversations - set(found["conversations"])),
        "feedback": len(tally.feedback - set(found["feedback"])),
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(
    database: str, tally: Tally, seconds: float, missing: dict[str, int]
) -> dict:
    requests = len(tally.latencies)
    summary = {
        "database": database,
        "requests": requests,
        "seconds": round(seconds, 1),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": round(statistics.median(tally.latencies), 1) if requests else 0.0,
        "p95_ms": round(percentile(tally.latencies, 95), 1),
        "p99_ms": round(percentile(tally.latencies, 99), 1),
        "errors": len(tally.errors),
        "retried_503": tally.unavailable,
        "accepted_writes": len(tally.signals)
        + len(tally.conversations)
        + len(tally.feedback),
        "missing_writes": sum(missing.values()),
        "by_kind": dict(sorted(tally.kinds.items())),
    }
    return summary


def run(
    *,
    scale: str,
    seconds: float,
    clients: int,
    workers: int,
    postgres: bool = False,
    restart_db_at: float | None = None,
    quiet: bool = False,
) -> dict:
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    cluster = None
    data_dir = tempfile.mkdtemp(prefix="pf-load-")
    server = None
    try:
        database_url = os.environ.get("DATABASE_URL")
        if postgres:
            cluster = Cluster()
            database_url = cluster.start()
        if restart_db_at is not None and cluster is None:
            raise SystemExit(
                "--restart-db-at needs --postgres (a cluster this run owns)"
            )
        env = load_env(data_dir, database_url)
        database = (database_url or "sqlite").split(":", 1)[0]
        started = time.perf_counter()
        seeded = seed(env, scale)
        say(
            f"Load — {database}, {seeded['accounts']:,} accounts, {seeded['contacts']:,} "
            f"contacts, {seeded['signals']:,} signals (seeded in "
            f"{time.perf_counter() - started:.0f} s); {workers} worker processes, "
            f"{clients} clients, {seconds:.0f} s, {os.cpu_count()} CPUs"
        )
        target = targets(env)
        port = free_port()
        server = start_server(env, port, workers)
        restart = (
            (restart_db_at, cluster.restart) if restart_db_at is not None else None
        )
        tally, elapsed, tag = drive(
            port, target, clients=clients, seconds=seconds, restart=restart
        )
        missing = verify(env, tag, tally)
        summary = report(database, tally, elapsed, missing)
        say(
            f"{summary['requests']:,} requests in {summary['seconds']} s: "
            f"{summary['rps']} requests/s, p50 {summary['p50_ms']} ms, "
            f"p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms"
        )
        say(
            f"errors: {summary['errors']}"
            + (f" (first: {tally.errors[0]})" if tally.errors else "")
        )
        if restart is not None:
            say(
                f"503 answers retried after Retry-After (database restarted): {summary['retried_503']}"
            )
        say(
            f"accepted writes: {summary['accepted_writes']:,} "
            f"({len(tally.signals)} signals, {len(tally.conversations)} conversations, "
            f"{len(tally.feedback)} public-form messages); missing from the database: "
            f"{summary['missing_writes']}"
        )
        say("by kind: " + ", ".join(f"{k} {v}" for k, v in summary["by_kind"].items()))
        summary["first_errors"] = tally.errors[:5]
        return summary
    finally:
        if server is not None:
            stop_server(server)
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="medium")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres", action="store_true", help="start a throwaway PostgreSQL cluster"
    )
    parser.add_argument(
        "--restart-db-at",
        type=float,
        help="restart the PostgreSQL cluster this many seconds in",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the summary as JSON too"
    )
    args = parser.parse_args(argv)
    summary = run(
        scale=args.scale,
        seconds=args.seconds,
        clients=args.clients,
        workers=args.workers,
        postgres=args.postgres,
        restart_db_at=args.restart_db_at,
    )
    if args.json:
        print(json.dumps(summary))
    if summary["errors"] or summary["missing_writes"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
