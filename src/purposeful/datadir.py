"""Where an installation keeps its files, and preparing that place before use."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "purposeful.sqlite3"
# SQLite gives its journal, WAL and shared-memory files the database's own mode.
DATABASE_COMPANIONS = ("-journal", "-wal", "-shm")


class DataDirError(Exception):
    """The data directory cannot be used; the message says why in one line."""


def default_data_dir(*, demo: bool = False) -> Path:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ("purposeful-demo" if demo else "purposeful")


@contextmanager
def private_files() -> Iterator[None]:
    """Files and directories created meanwhile are for this user alone."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def make_private(path: Path) -> None:
    """Take group and others' access away from ``path``, when it is ours to change.

    Owner bits are kept as they are, so a directory made read-only on purpose
    stays read-only.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid():
        return
    if info.st_mode & 0o077:
        path.chmod(stat.S_IMODE(info.st_mode) & 0o700)


def _create_private_file(path: Path, content: str | None = None) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as file:
        if content:
            file.write(content)


def prepare_data_dir(path: Path) -> None:
    """Create the directory and its secret key, private to this user.

    Existing installations are made private too: the directory 0700, the secret
    key and the SQLite database with its WAL and shared-memory files 0600. Fails
    clearly when the directory is not writable.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with private_files():
            path.mkdir(exist_ok=True)
        make_private(path)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        reason = error.strerror or str(error)
        raise DataDirError(
            f"the data directory {path} is not writable: {reason}"
        ) from None
    key_file = path / SECRET_KEY_FILE
    database = path / DATABASE_FILE
    try:
        if not key_file.exists():
            _create_private_file(key_file, secrets.token_urlsafe(50))
        if not os.environ.get("DATABASE_URL") and not database.exists():
            # Created empty and private before SQLite opens it, so the database and
            # the files SQLite adds beside it never exist readable by others.
            _create_private_file(database)
        for file in (key_file, database, *_companions(database)):
            make_private(file)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DataDirError(
            f"the data directory {path} cannot be made private: {reason}"
        ) from None


def _companions(database: Path) -> list[Path]:
    return [database.with_name(database.name + end) for end in DATABASE_COMPANIONS]
