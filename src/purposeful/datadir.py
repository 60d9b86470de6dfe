"""Where an installation keeps its files, and preparing that place before use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"


class DataDirError(Exception):
    """The data directory cannot be used; the message says why in one line."""


def default_data_dir(*, demo: bool = False) -> Path:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ("purposeful-demo" if demo else "purposeful")


def prepare_data_dir(path: Path) -> None:
    """Create the directory and its secret key; fail clearly when it is not writable."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as error:
        reason = error.strerror or str(error)
        raise DataDirError(
            f"the data directory {path} is not writable: {reason}"
        ) from None
    key_file = path / SECRET_KEY_FILE
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
