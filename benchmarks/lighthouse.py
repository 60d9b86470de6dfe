"""Lighthouse scores of the public pages, against the project's bar of 0.95.

Starts the demo on a free loopback port in a temporary data directory, runs npm's
`lighthouse` (installed on demand into a cache folder) with the system Chromium,
and prints accessibility, best-practices and performance per page.

    python benchmarks/lighthouse.py [PATH …]      # default: the public pages
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BAR = 0.95
CATEGORIES = ["accessibility", "best-practices", "performance"]
DEFAULT_PATHS = [
    "/",
    "/purpose/",
    "/allies/",
    "/accounts/login/",
    "/offers/",
    "/write-to-us/",
]
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    / "purposeful-lighthouse"
)


def lighthouse_bin() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print("installing lighthouse from npm …", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--silent", "--prefix", str(CACHE), "lighthouse@12"],
            check=True,
        )
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    paths = sys.argv[1:] or DEFAULT_PATHS
    binary = lighthouse_bin()
    port = free_port()
    data = tempfile.mkdtemp(prefix="purposeful-lh-")
    env = {**os.environ, "PURPOSEFUL_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "purposeful", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        print(
            f"{'page':<22}"
            + "".join(f"{c:>16}" for c in CATEGORIES)
            + f"   (bar {BAR})"
        )
        failures = 0
        for path in paths:
            try:
                status = urllib.request.urlopen(base + path, timeout=5).status
            except OSError:
                status = 0
            if status != 200:
                print(f"{path:<22}  not served here (status {status}), skipped")
                continue
            report = Path(data) / "report.json"
            for _attempt in range(2):  # a busy machine can make one run time out
                ran = subprocess.run(
                    [
                        str(binary),
                        base + path,
                        "--quiet",
                        f"--chrome-flags={CHROME_FLAGS}",
                        f"--only-categories={','.join(CATEGORIES)}",
                        "--output=json",
                        f"--output-path={report}",
                    ],
                    env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                if ran.returncode == 0:
                    break
            if ran.returncode != 0:
                print(f"{path:<22}  lighthouse failed twice")
                failures += 1
                continue
            scores = json.loads(report.read_text())["categories"]
            row = [scores[c]["score"] for c in CATEGORIES]
            failures += sum(score < BAR for score in row)
            print(f"{path:<22}" + "".join(f"{score:>16.2f}" for score in row))
        return 1 if failures else 0
    finally:
        os.killpg(server.pid, 15)
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
