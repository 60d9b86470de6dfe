"""Backups restore to an identical installation, on SQLite, PostgreSQL and across the two."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from purposeful import demo
from purposeful.backup import BackupError, backup_restore, backup_write


def _data(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith(("data/", "media/"))
        }


def _assert_same_data(first: Path, second: Path) -> None:
    """Compare two backups file by file, naming the first record that differs."""
    a, b = _data(first), _data(second)
    assert sorted(a) == sorted(b)
    for name in sorted(a):
        if a[name] != b[name]:
            left, right = a[name].splitlines(), b[name].splitlines()
            diff = [(x, y) for x, y in zip(left, right, strict=False) if x != y][:1]
            raise AssertionError(
                f"{name} differs ({len(left)} vs {len(right)} lines): {diff}"
            )


def _cli(*args, data_dir: Path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PURPOSEFUL_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "purposeful", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


@pytest.fixture
def demo_backup(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "offers").mkdir(parents=True)
    (tmp_path / "media" / "offers" / "wheel.txt").write_bytes(
        b"a file that was uploaded"
    )
    demo.load(password="purposeful-demo")
    path = tmp_path / "first.zip"
    backup_write(path)
    return path


def test_round_trip_gives_an_identical_installation(demo_backup, tmp_path, settings):
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    manifest = backup_restore(demo_backup)
    again = tmp_path / "second.zip"
    backup_write(again)
    _assert_same_data(demo_backup, again)
    assert manifest["records"]["people.member"] == 12
    assert (
        tmp_path / "restored-media" / "offers" / "wheel.txt"
    ).read_bytes() == b"a file that was uploaded"


def test_restored_installation_accepts_new_records(demo_backup):
    from purposeful.organisation.models import Team

    call_command("flush", interactive=False, verbosity=0)
    backup_restore(demo_backup)
    Team.objects.create(
        name="After restore", slug="after-restore"
    )  # sequences were reset
    assert Team.objects.count() == 5


def test_restore_refuses_an_installation_that_holds_data(demo_backup):
    with pytest.raises(BackupError, match="already holds data"):
        backup_restore(demo_backup)


def test_restore_refuses_files_that_are_not_backups(db, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    with pytest.raises(BackupError, match="not a readable backup"):
        backup_restore(junk)
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("manifest.json", '{"format": "something-else"}')
    with pytest.raises(BackupError, match="not a Purposeful backup"):
        backup_restore(tmp_path / "other.zip")
    with pytest.raises(BackupError, match="does not exist"):
        backup_restore(tmp_path / "missing.zip")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)
def test_a_postgresql_backup_restores_into_sqlite_identically(demo_backup, tmp_path):
    restored = _cli("restore", str(demo_backup), data_dir=tmp_path / "sqlite")
    assert restored.returncode == 0, restored.stderr
    dumped = _cli(
        "backup", str(tmp_path / "from-sqlite.zip"), data_dir=tmp_path / "sqlite"
    )
    assert dumped.returncode == 0, dumped.stderr
    _assert_same_data(demo_backup, tmp_path / "from-sqlite.zip")


def test_cli_round_trip_on_fresh_data_directories(tmp_path):
    assert _cli("demo", "--no-serve", data_dir=tmp_path / "a").returncode == 0
    first = _cli("backup", str(tmp_path / "a.zip"), data_dir=tmp_path / "a")
    assert first.returncode == 0 and "Wrote" in first.stdout, first.stderr
    assert (
        _cli("restore", str(tmp_path / "a.zip"), data_dir=tmp_path / "b").returncode
        == 0
    )
    assert (
        _cli("backup", str(tmp_path / "b.zip"), data_dir=tmp_path / "b").returncode == 0
    )
    _assert_same_data(tmp_path / "a.zip", tmp_path / "b.zip")
    refused = _cli("restore", str(tmp_path / "a.zip"), data_dir=tmp_path / "b")
    assert refused.returncode == 2 and "already holds data" in refused.stderr
