"""Static files under content-hashed names, collected once per version of the code.

``serve`` used to copy every static file (some 28 MB with the compressed
variants) into each data directory at every start. Now they are collected into
a cache folder shared by every installation on the machine, in a subfolder
named for the Purposeful version and a digest of the static sources (and of the
Django and WhiteNoise versions that post-process them): a second data
directory, or a second start, finds the folder ready and copies nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

READY_FILE = "staticfiles.json"  # written last by the manifest storage


class StaticCacheError(Exception):
    """The cache folder cannot be used; the message says why in one line."""


def cache_base() -> Path:
    """``PURPOSEFUL_STATIC_CACHE``, or ``purposeful/static`` in the user's cache."""
    configured = os.environ.get("PURPOSEFUL_STATIC_CACHE", "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (base / "purposeful" / "static").resolve()


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:  # pragma: no cover - a source checkout
        return "unknown"


def sources_digest() -> str:
    """A digest of every file the static files finders find, names and contents."""
    from django.contrib.staticfiles.finders import get_finders

    found: dict[str, Path] = {}
    for finder in get_finders():
        for name, storage in finder.list([]):
            prefix = getattr(storage, "prefix", None) or ""
            # the first finder to find a name wins, as in collectstatic
            found.setdefault(
                f"{prefix}/{name}" if prefix else name, Path(storage.path(name))
            )
    digest = hashlib.sha256()
    for tool in ("Django", "whitenoise"):
        digest.update(f"{tool} {_version(tool)}\n".encode())
    for name in sorted(found):
        digest.update(name.encode() + b"\0")
        with found[name].open("rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())
    return digest.hexdigest()[:16]


def static_folder() -> Path:
    """Where this code's collected static files live (collected or not yet)."""
    return cache_base() / f"{_version('purposeful')}-{sources_digest()}"


def static_collect(folder: Path) -> bool:
    """Collect into ``folder`` unless it is ready; returns whether it collected.

    Files are collected into a private folder beside it, renamed into place
    when complete, so a server starting meanwhile never sees half a folder and
    two starting at once both end with the same one.
    """
    from django.contrib.staticfiles.management.commands import collectstatic
    from django.core.management import call_command
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    if (folder / READY_FILE).is_file():
        return False
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    except OSError as error:
        raise StaticCacheError(
            f"cannot write static files to {folder.parent}: {error.strerror or error}"
            " (set PURPOSEFUL_STATIC_CACHE to a writable folder)"
        ) from None
    try:
        partial.chmod(0o755)  # every installation on the machine reads it
        command = collectstatic.Command()
        command.storage = CompressedManifestStaticFilesStorage(location=partial)
        call_command(command, interactive=False, verbosity=0)
        try:
            partial.rename(folder)
        except OSError:
            if not (folder / READY_FILE).is_file():
                raise
            return False  # another server collected the same files first
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return True
