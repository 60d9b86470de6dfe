"""The data directory and what it holds are private to the user who runs Purposeful."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from purposeful.datadir import (
    DATABASE_FILE,
    SECRET_KEY_FILE,
    DataDirError,
    prepare_data_dir,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask(monkeypatch):
    """Most systems create files readable by everyone (umask 022)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_data_directory_is_private(tmp_path):
    data = tmp_path / "new" / "purposeful"
    prepare_data_dir(data)
    assert _mode(data) == 0o700
    assert _mode(data / SECRET_KEY_FILE) == 0o600
    assert _mode(data / DATABASE_FILE) == 0o600


def test_the_database_and_the_files_sqlite_adds_beside_it_are_private(tmp_path):
    prepare_data_dir(tmp_path / "data")
    database = tmp_path / "data" / DATABASE_FILE
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (a)")
        connection.execute("INSERT INTO t VALUES (1)")
        connection.commit()
        files = sorted(p.name for p in database.parent.glob(DATABASE_FILE + "*"))
        assert files == [DATABASE_FILE, f"{DATABASE_FILE}-shm", f"{DATABASE_FILE}-wal"]
        assert {_mode(database.parent / name) for name in files} == {0o600}
    finally:
        connection.close()


def test_an_existing_installation_is_made_private_on_start(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    names = [SECRET_KEY_FILE, DATABASE_FILE, f"{DATABASE_FILE}-wal"]
    for name in names:
        (data / name).write_text("x")
        (data / name).chmod(0o644)
    data.chmod(0o755)
    prepare_data_dir(data)
    assert _mode(data) == 0o700
    assert {name: _mode(data / name) for name in names} == dict.fromkeys(names, 0o600)
    assert (data / SECRET_KEY_FILE).read_text() == "x"


def test_with_another_database_no_sqlite_file_is_created(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example.org/purposeful")
    prepare_data_dir(tmp_path / "data")
    assert not (tmp_path / "data" / DATABASE_FILE).exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes everywhere")
def test_a_read_only_data_directory_stays_read_only_and_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o555)
    try:
        with pytest.raises(DataDirError, match="not writable"):
            prepare_data_dir(data)
        assert _mode(data) == 0o500
    finally:
        data.chmod(0o700)
