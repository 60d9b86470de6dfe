"""Backups restore to an identical installation, on SQLite, PostgreSQL and across the two."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import sqlite3
import stat
import struct
import subprocess
import sys
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from auditlog.context import disable_auditlog
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


# A restore checks the whole backup before it changes anything, then restores
# everything in one go or nothing.

BOMB_MIB = 3000  # 3,000 MiB of zeros deflate to about 3 MB


def _zip_entry(name: str, data: bytes, *, method: int, crc: int, size: int, offset):
    header = struct.pack(
        "<IHHHHHIIIHH",
        0x04034B50,
        20,
        0,
        method,
        0,
        0x21,
        crc,
        len(data),
        size,
        len(name),
        0,
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        method,
        0,
        0x21,
        crc,
        len(data),
        size,
        len(name),
        0,
        0,
        0,
        0,
        0o644 << 16,
        offset,
    )
    return header + name.encode() + data, central + name.encode()


def _write_bomb(path: Path, *, name: str, mib: int, stated_size: int | None = None):
    """A zip whose one table file inflates ``mib`` MiB of zeros, built in seconds.

    After a full flush deflate forgets what came before, so one compressed MiB
    repeats as is; ``stated_size`` makes the zip's directory lie about the size.
    """
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * mib + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    label = name.removeprefix("data/").removesuffix(".jsonl")
    manifest = json.dumps(
        {"format": "purposeful-backup", "version": 1, "records": {label: 1}}
        | {"media_files": 0}
    ).encode()
    entries, centrals, offset = [], [], 0
    for entry_name, payload, method, entry_crc, size in [
        ("manifest.json", manifest, 0, zlib.crc32(manifest), len(manifest)),
        (name, data, 8, crc, stated_size or mib << 20),
    ]:
        local, central = _zip_entry(
            entry_name, payload, method=method, crc=entry_crc, size=size, offset=offset
        )
        entries.append(local)
        centrals.append(central)
        offset += len(local)
    directory = b"".join(centrals)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(directory), offset, 0)
    path.write_bytes(b"".join(entries) + directory + end)
    return path


@pytest.fixture(scope="session")
def zip_bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.zip"
    _write_bomb(path, name="data/people.member.jsonl", mib=BOMB_MIB)
    return path


def test_the_zip_bomb_is_a_real_one(zip_bomb):
    with zipfile.ZipFile(zip_bomb) as archive:
        info = archive.getinfo("data/people.member.jsonl")
        assert info.file_size == BOMB_MIB << 20
        with archive.open(info) as member:
            assert member.read(1 << 20) == bytes(1 << 20)
    assert 2_500_000 < zip_bomb.stat().st_size < 3_500_000


def _everything() -> dict[str, int]:
    from purposeful.backup import backed_up_models

    return {
        model._meta.label_lower: model._base_manager.count()
        for model in backed_up_models()
    }


def _files(root: Path) -> list[str]:
    return (
        sorted(str(p.relative_to(root)) for p in root.rglob("*"))
        if root.exists()
        else []
    )


@pytest.fixture
def small_backup(db, tmp_path, settings):
    """A real backup of one team and one upload; the installation is empty again."""
    from purposeful.organisation.models import Team

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "offers").mkdir(parents=True)
    (tmp_path / "media" / "offers" / "wheel.txt").write_bytes(b"an uploaded file")
    path = tmp_path / "small.zip"
    with disable_auditlog():
        Team.objects.create(name="Bike kitchen", slug="bike-kitchen")
        backup_write(path)
        Team.objects.all().delete()
    shutil.rmtree(tmp_path / "media")
    return path


def _variant(
    source: Path,
    target: Path,
    *,
    change: dict[str, bytes | None] | None = None,
    add: list[tuple[str | zipfile.ZipInfo, bytes]] = (),
    records: dict[str, int] | None = None,
    media_files: int = 0,
) -> Path:
    """A copy of a backup with entries changed, dropped (None) or added."""
    change = change or {}
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as new,
    ):
        manifest = json.loads(old.read("manifest.json"))
        for key, extra in (records or {}).items():
            manifest["records"][key] = manifest["records"].get(key, 0) + extra
        manifest["media_files"] += media_files
        for name in old.namelist():
            data = change.get(name, old.read(name))
            if name == "manifest.json" and name not in change:
                data = json.dumps(manifest).encode()
            if data is not None:
                new.writestr(name, data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a duplicate name is what some want
            for name, data in add:
                new.writestr(name, data)
    return target


SESSION_ROW = {
    "model": "sessions.session",
    "pk": "k3y",
    "fields": {"session_data": "x", "expire_date": "2030-01-01T00:00:00Z"},
}
TEAMS = "data/organisation.team.jsonl"


def _team_line(source: Path, **fields) -> bytes:
    with zipfile.ZipFile(source) as archive:
        record = json.loads(archive.read(TEAMS).splitlines()[0])
    record["fields"].update(fields)
    return json.dumps(record).encode() + b"\n"


def _absolute(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name)


def _write(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


MALFORMED = {
    "truncated": (
        lambda s, t: _write(t, s.read_bytes()[: s.stat().st_size // 2]),
        "is not a readable backup",
    ),
    "not a zip": (
        lambda s, t: _write(t, b"PK\x03\x04 but nothing more"),
        "is not a readable backup",
    ),
    "no manifest": (
        lambda s, t: _variant(s, t, change={"manifest.json": None}),
        "no readable manifest.json",
    ),
    "manifest not an object": (
        lambda s, t: _variant(s, t, change={"manifest.json": b"[1, 2]"}),
        "no readable manifest.json",
    ),
    "another format version": (
        lambda s, t: _variant(
            s,
            t,
            change={"manifest.json": b'{"format": "purposeful-backup", "version": 7}'},
        ),
        "backup format version 7",
    ),
    "counts that are not counts": (
        lambda s, t: _variant(
            s,
            t,
            change={
                "manifest.json": b'{"format": "purposeful-backup", "version": 1,'
                b' "records": {"organisation.team": "x"}, "media_files": 0}'
            },
        ),
        "not counts",
    ),
    "a line that is not JSON": (
        lambda s, t: _variant(
            s,
            t,
            change={TEAMS: _team_line(s) + b'{"model": "organisation.team", "pk\n'},
            records={"organisation.team": 1},
        ),
        "line 2: not JSON",
    ),
    "a session row in the team table": (
        lambda s, t: _variant(
            s,
            t,
            change={TEAMS: _team_line(s) + json.dumps(SESSION_ROW).encode()},
            records={"organisation.team": 1},
        ),
        "line 2: a record of 'sessions.session', not of organisation.team",
    ),
    "a session table": (
        lambda s, t: _variant(
            s,
            t,
            add=[("data/sessions.session.jsonl", json.dumps(SESSION_ROW).encode())],
            records={"sessions.session": 1},
        ),
        "tables this version does not know: sessions.session",
    ),
    "a table the manifest does not list": (
        lambda s, t: _variant(
            s,
            t,
            add=[("data/people.extra.jsonl", b"")],
        ),
        "data/people.extra.jsonl is not in the manifest",
    ),
    "a table file missing": (
        lambda s, t: _variant(s, t, change={TEAMS: None}),
        "no data/organisation.team.jsonl",
    ),
    "fewer records than the manifest says": (
        lambda s, t: _variant(s, t, records={"organisation.team": 1}),
        "holds 1 records, the manifest says 2",
    ),
    "a value of the wrong type": (
        lambda s, t: _variant(s, t, change={TEAMS: _team_line(s, created_at="soon")}),
        "data/organisation.team.jsonl",
    ),
    "the same record twice": (
        lambda s, t: _variant(
            s,
            t,
            change={TEAMS: _team_line(s) + _team_line(s, name="Other")},
            records={"organisation.team": 1},
        ),
        re.compile(r"line 2: record \d+ again"),
    ),
    "the same entry twice": (
        lambda s, t: _variant(s, t, add=[(TEAMS, b"")]),
        "twice",
    ),
    "a ../ media name": (
        lambda s, t: _variant(
            s, t, add=[("media/../../escaped.txt", b"x")], media_files=1
        ),
        "unsafe file name: 'media/../../escaped.txt'",
    ),
    "an absolute media name": (
        lambda s, t: _variant(
            s, t, add=[(_absolute("/media/offers/escaped.txt"), b"x")], media_files=1
        ),
        "unsafe file name: '/media/offers/escaped.txt'",
    ),
    "an empty part in a media name": (
        lambda s, t: _variant(
            s, t, add=[("media//tmp/escaped.txt", b"x")], media_files=1
        ),
        "unsafe file name",
    ),
    "an entry outside data and media": (
        lambda s, t: _variant(s, t, add=[("run.sh", b"x")]),
        "unexpected entry: 'run.sh'",
    ),
    "a damaged upload": (
        lambda s, t: _corrupt(s, t, "media/offers/wheel.txt"),
        "is damaged (media/offers/wheel.txt",
    ),
    "a zip bomb": (
        lambda s, t: _write_bomb(t, name=TEAMS, mib=50),
        "zip bomb",
    ),
    "a zip bomb whose directory understates it": (
        lambda s, t: _write_bomb(t, name=TEAMS, mib=50, stated_size=1 << 20),
        "is damaged (data/organisation.team.jsonl",
    ),
}


def _corrupt(source: Path, target: Path, name: str) -> Path:
    """Flip the stored bytes of one member, leaving the zip's directory intact."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + info.compress_size):
        data[i] ^= 0x5A
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_backup_is_refused_in_one_line_and_changes_nothing(
    small_backup, tmp_path, kind
):
    build, message = MALFORMED[kind]
    broken = build(small_backup, tmp_path / "broken.zip")
    before = _everything()
    with pytest.raises(BackupError) as refused:
        backup_restore(broken)
    if isinstance(message, re.Pattern):
        assert message.search(str(refused.value))
    else:
        assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert _everything() == before
    assert _files(tmp_path / "media") == []
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_small_backup_restores_with_its_file(small_backup, tmp_path):
    from purposeful.organisation.models import Team

    backup_restore(small_backup)
    assert list(Team.objects.values_list("slug", flat=True)) == ["bike-kitchen"]
    assert (tmp_path / "media" / "offers" / "wheel.txt").read_bytes() == (
        b"an uploaded file"
    )


def test_records_that_do_not_fit_together_restore_nothing(small_backup, tmp_path):
    """Each record reads well, but two teams share one slug: no record, no file."""
    line = _team_line(small_backup)
    other = json.loads(line)
    other["pk"] += 1
    other["fields"]["name"] = "Another kitchen"
    broken = _variant(
        small_backup,
        tmp_path / "clash.zip",
        change={TEAMS: line + json.dumps(other).encode() + b"\n"},
        records={"organisation.team": 1},
    )
    before = _everything()
    with pytest.raises(BackupError, match="nothing was restored"):
        backup_restore(broken)
    assert _everything() == before
    assert _files(tmp_path / "media") == []


def test_a_backup_is_written_readable_by_its_owner_only(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    previous = os.umask(0o022)
    try:
        backup_write(tmp_path / "private.zip")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "private.zip").stat().st_mode) == 0o600


def _limited_memory():  # pragma: no cover - runs in the child process
    # A regression must fail the test, not take the machine's memory with it.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def test_cli_refuses_a_3_mb_zip_bomb_in_one_line(zip_bomb, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PURPOSEFUL_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "purposeful", "restore", str(zip_bomb)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        preexec_fn=_limited_memory,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.count("\n") == 1 and "zip bomb" in result.stderr, (
        result.stderr[-2000:]
    )
    assert result.stdout == ""


def _dump(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_cli_refuses_each_malformed_backup_in_one_line_and_changes_nothing(
    small_backup, tmp_path
):
    data = tmp_path / "data"
    kinds = [
        "truncated",
        "not a zip",
        "no manifest",
        "another format version",
        "a line that is not JSON",
        "a session row in the team table",
        "a ../ media name",
        "an absolute media name",
    ]
    before = None
    for number, kind in enumerate(kinds):
        build, message = MALFORMED[kind]
        broken = build(small_backup, tmp_path / f"broken-{number}.zip")
        result = _cli("restore", str(broken), data_dir=data)
        assert result.returncode == 2, f"{kind}: {result.stderr[-2000:]}"
        assert result.stderr.count("\n") == 1, f"{kind}: {result.stderr[-2000:]}"
        assert message in result.stderr, f"{kind}: {result.stderr}"
        # The first run creates and migrates the database; none changes it after.
        before = before or _dump(data / "purposeful.sqlite3")
        assert _dump(data / "purposeful.sqlite3") == before, kind
    assert not (data / "media").exists() or _files(data / "media") == []
    restored = _cli("restore", str(small_backup), data_dir=data)
    assert restored.returncode == 0, restored.stderr[-2000:]
    assert "Restored 1 records and 1 files" in restored.stdout


UNICODE_TEXT = "Vélos réparés 🚲❤️ für Zürich — “quoted”, back\\slash,\nnew line, 日本語"


def test_emoji_and_accents_come_back_from_a_backup(
    transactional_db, tmp_path, settings
):
    """Records and uploaded file names outside ASCII restore exactly as written."""
    from purposeful.organisation.models import Organisation, PurposeVersion, Team

    settings.MEDIA_ROOT = tmp_path / "media"
    upload = tmp_path / "media" / "offers" / "Vélo 🚲 Grüße.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text(UNICODE_TEXT, encoding="utf-8")
    with disable_auditlog():
        org = Organisation.objects.create(name="Coöp 🚲")
        PurposeVersion.objects.create(organisation=org, number=1, text=UNICODE_TEXT)
        Team.objects.create(name="Vélo 🚲 kitchen", slug="velo", purpose=UNICODE_TEXT)
    path = tmp_path / "unicode.zip"
    backup_write(path)
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    backup_restore(path)
    assert Organisation.objects.get().name == "Coöp 🚲"
    assert PurposeVersion.objects.get().text == UNICODE_TEXT
    assert Team.objects.values_list("name", "purpose").get() == (
        "Vélo 🚲 kitchen",
        UNICODE_TEXT,
    )
    restored = tmp_path / "restored-media" / "offers" / "Vélo 🚲 Grüße.txt"
    assert restored.read_text(encoding="utf-8") == UNICODE_TEXT
