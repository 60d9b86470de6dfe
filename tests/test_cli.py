"""The command line, run as a newcomer would: in a subprocess, on a fresh data directory."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from purposeful.cli import main


def run(
    *args: str,
    data_dir: Path | None = None,
    env: dict | None = None,
    input: str | None = None,
):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    if data_dir is not None:
        full_env["PURPOSEFUL_DATA_DIR"] = str(data_dir)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "purposeful", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=120,
    )


def test_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"], standalone_mode=True)
    for command in ["serve", "demo", "steward", "token", "worker", "manage"]:
        assert command in result.output


def test_importing_the_package_raises_no_warnings():
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import purposeful"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_unknown_option_is_one_line_and_exit_2(tmp_path):
    result = run("serve", "--port", "notaport", data_dir=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "notaport" in result.stderr


def test_serve_with_an_invalid_database_url_fails_clearly(tmp_path):
    result = run("serve", data_dir=tmp_path, env={"DATABASE_URL": "nonsense://what"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "DATABASE_URL is not valid" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_an_unusable_data_directory_fails_clearly(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = run("serve", data_dir=blocker / "data")
    assert result.returncode == 2
    assert "is not writable" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_on_a_port_in_use_fails_clearly(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port), data_dir=tmp_path)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_steward_and_token_work_on_the_data_directory(tmp_path):
    created = run(
        "steward",
        "create",
        "alex",
        data_dir=tmp_path,
        env={"PURPOSEFUL_PASSWORD": "a long steward password"},
    )
    assert created.returncode == 0, created.stderr
    issued = run("token", "create", "alex", "--name", "CI", data_dir=tmp_path)
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip().splitlines()[-1]
    assert token.startswith("pf_")
    with sqlite3.connect(tmp_path / "purposeful.sqlite3") as db:
        (digest,) = db.execute("select digest from people_apitoken").fetchone()
        (is_steward,) = db.execute(
            "select is_steward from people_member where username='alex'"
        ).fetchone()
    assert digest == hashlib.sha256(token.encode()).hexdigest() and is_steward


def test_steward_create_without_terminal_or_password_fails_clearly(tmp_path):
    result = run("steward", "create", "alex", data_dir=tmp_path, input="")
    assert result.returncode == 2
    assert "set PURPOSEFUL_PASSWORD" in result.stderr


def test_steward_with_a_weak_password_is_refused(tmp_path):
    result = run(
        "steward",
        "create",
        "alex",
        data_dir=tmp_path,
        env={"PURPOSEFUL_PASSWORD": "short"},
    )
    assert result.returncode == 2
    assert "too short" in result.stderr


def test_token_for_unknown_member_fails_clearly(tmp_path):
    result = run("token", "create", "nobody", data_dir=tmp_path)
    assert result.returncode == 2
    assert "no active member is called 'nobody'" in result.stderr


def test_demo_loads_once_and_refuses_a_real_organisation(tmp_path):
    first = run("demo", "--no-serve", data_dir=tmp_path / "demo")
    assert first.returncode == 0, first.stderr
    assert "password 'purposeful-demo'" in first.stdout
    again = run("demo", "--no-serve", data_dir=tmp_path / "demo")
    assert "The demo organisation is here." in again.stdout

    real = tmp_path / "real"
    run(
        "steward",
        "create",
        "alex",
        data_dir=real,
        env={"PURPOSEFUL_PASSWORD": "a long steward password"},
    )
    refused = run("demo", "--no-serve", data_dir=real)
    assert refused.returncode == 2
    assert "never mixed" in refused.stderr


@pytest.mark.django_db
def test_demo_organisation_is_realistic():
    from purposeful import demo
    from purposeful.organisation.models import Ally, Role, Team
    from purposeful.people.models import Member

    assert demo.load(password="purposeful-demo") is True
    assert Team.objects.count() == 4
    assert Member.objects.count() == 12
    assert Role.objects.filter(kind=Role.Kind.CUSTOMER_LINK).count() == 4
    assert Ally.objects.count() >= 3
    assert all(
        team.roles.filter(kind="customer_link", holders__isnull=False).exists()
        for team in Team.objects.all()
    )


def test_demo_serves_the_home_page_with_cacheable_static_files(tmp_path):
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PURPOSEFUL_DATA_DIR"] = str(tmp_path)
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "purposeful",
            "demo",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        page = None
        for _ in range(240):
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/", timeout=2
                ) as r:
                    page = r.read().decode()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()[
                    -2000:
                ]
                time.sleep(0.5)
        assert page is not None, "the demo did not answer"
        assert "Keep every bicycle in our city riding" in page
        stylesheet = re.search(
            r'href="(/static/purposeful/purposeful\.[0-9a-f]{12}\.css)"', page
        )
        assert stylesheet, "static files are served under content-hashed names"
        url = f"http://127.0.0.1:{port}{stylesheet.group(1)}"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert "immutable" in response.headers["Cache-Control"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def in_process(monkeypatch):
    """Commands run here against the test database, with their error handling."""
    from purposeful import cli

    monkeypatch.setattr(cli, "_setup_django", lambda **kwargs: None)
    monkeypatch.setattr(cli, "_migrate", lambda: None)

    def invoke(*args: str):
        return CliRunner().invoke(cli.main, list(args))

    return invoke


@pytest.mark.parametrize(
    "encoding", ["undefined", "punycode", "idna", "unicode_escape", "rot13", "nope"]
)
def test_import_with_an_encoding_no_file_is_in_fails_clearly(
    cast, in_process, tmp_path, encoding
):
    path = tmp_path / "customers.csv"
    path.write_text("Company,Email\nRiverside Bakery,ada@example.org\n")
    result = in_process(
        "import", str(path), "--team", cast.team.slug, "--as", "owner",
        "--encoding", encoding,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "not a character set a file can be in" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("where", ["missing/dir/out.csv", "a-file/out.csv"])
def test_export_to_a_path_it_cannot_write_fails_clearly(
    cast, in_process, tmp_path, where
):
    (tmp_path / "a-file").write_text("")
    target = tmp_path / where
    result = in_process("export", "accounts", "--as", "owner", "-o", str(target))
    assert result.exit_code == 2, result.output
    assert f"cannot write {target}" in result.output


@pytest.mark.parametrize(
    ("flags", "with_worker"),
    [([], True), (["--no-worker"], False), (["--no-task-worker"], False)],
)
def test_serve_leaves_the_task_worker_to_other_machines_when_asked(
    monkeypatch, flags, with_worker
):
    """--no-worker is the short spelling of --no-task-worker; both still work."""
    from purposeful import cli

    started = {}
    for step in ("_use_listen_address", "_setup_django", "_prepare_static", "_migrate"):
        monkeypatch.setattr(cli, step, lambda *args, **kwargs: None)
    monkeypatch.setattr(cli, "_serve", lambda **kwargs: started.update(kwargs))
    monkeypatch.setenv("PURPOSEFUL_HASHED_STATIC", "")
    result = CliRunner().invoke(main, ["serve", *flags], standalone_mode=False)
    assert result.exit_code == 0, result.output
    assert started["with_worker"] is with_worker
