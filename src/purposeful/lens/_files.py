"""Finding and reading the files that ``purposeful review`` is asked to check."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._review import Markup

__all__ = [
    "DEFAULT_INCLUDE",
    "InputError",
    "Source",
    "discover",
    "markup_for",
    "read_source",
]

DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.mdx", "*.html", "*.htm", "*.txt")
_DEFAULT_SUFFIXES = frozenset(p.removeprefix("*") for p in DEFAULT_INCLUDE)
_ALWAYS_SKIP = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__"}
_MARKUP = {".md": "markdown", ".markdown": "markdown", ".mdx": "markdown"}
_MARKUP |= {".html": "html", ".htm": "html", ".xhtml": "html"}
#: Larger files are refused with a clear message: they are not marketing copy, and
#: reviewing one would take minutes.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class InputError(ValueError):
    """A path that cannot be reviewed; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Source:
    """A text to review and where it came from."""

    name: str  # as shown to the user ("-" for standard input)
    text: str
    markup: Markup


def markup_for(name: str) -> Markup:
    """How to read a file, from its extension."""
    return _MARKUP.get(os.path.splitext(name)[1].lower(), "text")  # type: ignore[return-value]


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    if patterns is DEFAULT_INCLUDE:
        # the default is a list of extensions: a set lookup, not six fnmatch calls
        return os.path.splitext(relative)[1].lower() in _DEFAULT_SUFFIXES
    for pattern in patterns:
        # fnmatch's "*" also crosses "/", so "*.md" finds Markdown at any depth and
        # "**/x" should also match "x" at the top.
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(
            relative, pattern.removeprefix("**/")
        ):
            return True
    return False


def discover(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Iterator[str]:
    """Files to review: named files as given, directories walked in sorted order."""
    include = tuple(include) or DEFAULT_INCLUDE
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield raw
        elif path.is_dir():
            base = os.path.join(raw, "")
            for root, dirs, files in os.walk(raw):
                dirs[:] = sorted(d for d in dirs if d not in _ALWAYS_SKIP)
                # plain string paths: pathlib costs more than the review of a line
                prefix = root[len(base) :].replace(os.sep, "/")
                for name in sorted(files):
                    relative = f"{prefix}/{name}" if prefix else name
                    if _matches(relative, include) and not _matches(relative, exclude):
                        found = os.path.join(root, name)
                        if _is_regular_file(found):
                            yield found
        elif path.exists():
            if not _matches(path.as_posix(), exclude):
                yield raw
        else:
            raise InputError(f"{raw}: no such file or directory")


def _is_regular_file(path: str) -> bool:
    """Whether ``path`` is a file (or a link to one) rather than a pipe or device.

    Opening a FIFO waits for a writer, and a device can be read for ever: found
    in a directory, neither is copy to review.
    """
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # a dangling link: reading it says what is wrong
        return True


def decode(data: bytes, name: str) -> str:
    """Text of ``data``, or an InputError that says what is wrong with it."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start})") from None
    return text.replace("\r\n", "\n")


def read_source(name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one file (not standard input) for review."""
    try:
        # a bare descriptor: a buffered file object costs more than reading a line
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            size = os.fstat(fd).st_size
            if size > max_bytes:
                raise InputError(
                    f"{name}: too large to review ({size / 2**20:.1f} MB, limit "
                    f"{max_bytes / 2**20:g} MB; raise it with --max-size)"
                )
            data = os.read(fd, size + 1)
            if (
                len(data) != size
            ):  # a short read, a growing file, a size stat can't tell
                data += b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    return Source(name, decode(data, name), markup_for(name))
