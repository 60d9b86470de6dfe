"""Faults: a database that refuses writes, or goes away for a moment.

A read-only database (or a full disk) gives a clear 503 page or JSON error and
one line from the command line; a PostgreSQL restart during load gives 503s
with Retry-After, and the app recovers by itself with nothing lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client

from purposeful.core.middleware import cannot_write_reason

ON_SQLITE = not os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.fixture
def read_only_database():
    """Call it to make the test database refuse writes, as a read-only file would."""

    def switch(on: bool = True) -> None:
        # On the driver's connection: Django refuses queries in a broken atomic block.
        connection.ensure_connection()
        connection.connection.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")

    yield switch
    switch(False)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("attempt to write a readonly database", "the database is read-only."),
        (
            "cannot execute INSERT in a read-only transaction",
            "the database is read-only.",
        ),
        ("database or disk is full", "the disk is full."),
        ("could not extend file: No space left on device", "the disk is full."),
        ("server closed the connection unexpectedly", None),
    ],
)
def test_writes_refused_by_the_database_are_named(text, reason):
    assert cannot_write_reason(OperationalError(text)) == reason
    assert cannot_write_reason(ValueError(text)) is None


@pytest.mark.skipif(not ON_SQLITE, reason="PRAGMA query_only is SQLite's")
def test_read_only_database_gives_a_clear_503_page(cast, read_only_database):
    client = Client(raise_request_exception=False)
    client.force_login(cast.owner)
    read_only_database()
    response = client.post("/teams/new/", {"name": "Cargo bikes", "purpose": "x"})
    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert "the database is read-only" in page
    assert "Nothing you sent was saved" in page
    assert "Traceback" not in page


@pytest.mark.skipif(not ON_SQLITE, reason="PRAGMA query_only is SQLite's")
def test_read_only_database_gives_a_clear_503_in_the_api(cast, api, read_only_database):
    client = api(cast.owner)
    read_only_database()
    response = client.post("/teams", {"name": "Cargo bikes"})
    assert response.status_code == 503
    assert "read-only" in response.json()["error"]


@pytest.mark.skipif(not ON_SQLITE, reason="PRAGMA query_only is SQLite's")
def test_read_only_database_still_serves_pages(cast, read_only_database):
    client = Client(raise_request_exception=False)
    read_only_database()
    assert client.get("/purpose/").status_code == 200


def _purposeful(*args, data_dir, env=None):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    full_env.update(
        {
            "PURPOSEFUL_DATA_DIR": str(data_dir),
            "PURPOSEFUL_PASSWORD": "a-long-password-1",
        }
    )
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "purposeful", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_on_a_read_only_database_says_so_in_one_line(tmp_path: Path):
    made = _purposeful("steward", "create", "amara", data_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    result = _purposeful(
        "steward",
        "create",
        "kofi",
        data_dir=tmp_path,
        env={"PURPOSEFUL_READ_ONLY": "1"},
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "readonly" in lines[0] or "read-only" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.postgres
@pytest.mark.skipif(ON_SQLITE, reason="runs in the PostgreSQL pass of the suite")
def test_postgres_restart_under_load_gives_503_then_recovers_with_nothing_lost():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import load

    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("PostgreSQL server binaries are not installed")
    summary = load.run(
        scale="tiny",
        seconds=20,
        clients=4,
        workers=2,
        postgres=True,
        restart_db_at=6,
        quiet=True,
    )
    assert summary["errors"] == 0, summary["first_errors"]
    assert summary["missing_writes"] == 0, summary
    assert summary["retried_503"] > 0, "the restart was noticed and answered with 503"
    assert summary["accepted_writes"] > 0


def test_database_lost_in_a_middleware_gives_503_not_500(rf):
    """Loading the session or user happens before any view: the 500 handler answers 503."""
    from purposeful.home.views import error_500

    for path in ("/start/", "/api/v1/me"):
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            response = error_500(rf.get(path))
        assert response.status_code == 503, path
        assert response["Retry-After"]


def test_other_server_errors_stay_500(rf):
    from purposeful.home.views import error_500

    try:
        raise ValueError("a bug")
    except ValueError:
        response = error_500(rf.get("/start/"))
    assert response.status_code == 500
