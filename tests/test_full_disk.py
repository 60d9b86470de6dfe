"""A disk that fills up under a running installation, for real: a small tmpfs
holds the data directory, a file fills it, and the app is asked to read and write.

Reads keep working (SQLite's WAL files are kept open, so they need not be
recreated), writes are refused with "the disk is full", nothing half-written
remains, and writing works again once there is room.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from purposeful.core import middleware

ROOT = Path(__file__).resolve().parent.parent


def test_a_disk_io_error_on_a_full_disk_is_named_as_such(monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(middleware, "_disk_is_full", lambda: True)
    assert middleware.cannot_write_reason(OperationalError("disk I/O error")) == (
        "the disk is full."
    )
    monkeypatch.setattr(middleware, "_disk_is_full", lambda: False)
    assert middleware.cannot_write_reason(OperationalError("disk I/O error")) == (
        "the disk reported an error."
    )


@contextlib.contextmanager
def _small_disk(path: Path, megabytes: int):
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("this machine cannot mount a small tmpfs (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _call(port: int, method: str, path: str, token: str, body: dict | None = None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb") as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * (1 << 20))
            out.flush()
    return filler


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs is Linux's")
def test_a_full_disk_keeps_reads_refuses_writes_and_loses_nothing(tmp_path: Path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import load

    with _small_disk(tmp_path / "disk", 80) as disk:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        env.update(PURPOSEFUL_DATA_DIR=str(disk), PURPOSEFUL_PASSWORD="full-disk-1x")

        def purposeful(*args: str) -> str:
            done = subprocess.run(
                [sys.executable, "-m", "purposeful", *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            return done.stdout

        purposeful("steward", "create", "alex")
        token = purposeful("token", "create", "alex").strip().splitlines()[-1]
        port = load.free_port()
        server = load.start_server(env, port, workers=1)
        try:
            assert _call(port, "GET", "/api/v1/me", token)[0] == 200
            time.sleep(2)  # idle: every request's connection has been handed back
            filler = _fill(disk)

            assert _call(port, "GET", "/api/v1/me", token)[0] == 200
            assert _call(port, "GET", "/api/v1/teams", token)[0] == 200
            status, page = _call(port, "GET", "/", token)
            assert status == 200 and "<html" in page
            status, body = _call(
                port, "POST", "/api/v1/teams", token, {"name": "Bikes"}
            )
            assert status == 503
            assert "the disk is full" in json.loads(body)["error"]

            filler.unlink()
            status, body = _call(
                port, "POST", "/api/v1/teams", token, {"name": "Bikes"}
            )
            assert status == 201, body
        finally:
            load.stop_server(server)
        with contextlib.closing(sqlite3.connect(disk / "purposeful.sqlite3")) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            # the refused write left nothing behind; the second made one team
            assert db.execute("SELECT count(*) FROM organisation_team").fetchone() == (
                1,
            )
