"""A short load run in the suite: the real server, concurrent clients, nothing lost.

The long run is ``benchmarks/load.py``. This one seeds a small organisation in
a temporary data directory (or a scratch database on the PostgreSQL server in
``DATABASE_URL``), starts ``purposeful serve --workers 2`` on loopback and
drives it for a minute with pages, API reads, API writes and the public form.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import load  # noqa: E402

SECONDS = 60


@pytest.fixture
def scratch_database():
    """On PostgreSQL: a database of its own for the run, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"purposeful_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_short_load_run_has_no_errors_and_loses_no_write(scratch_database, monkeypatch):
    if scratch_database:
        monkeypatch.setenv("DATABASE_URL", scratch_database)
    summary = load.run(scale="tiny", seconds=SECONDS, clients=4, workers=2, quiet=True)
    assert summary["errors"] == 0, summary["first_errors"]
    assert summary["missing_writes"] == 0, summary
    assert summary["accepted_writes"] > 20, summary
    kinds = summary["by_kind"]
    for kind in ("write signal", "write conversation", "public form", "page /start/"):
        assert kinds.get(kind, 0) > 0, kinds
