"""Reading uploaded site files safely: judged by content, capped in size, never written to disk.

A zip is opened in memory and each entry is read through a size cap, so a zip bomb
stops at the cap instead of filling memory; entry names are only used as labels in
the report, and names that try to climb out of the archive are refused. Every
problem is reported for its own file, and the rest are still read.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # one uploaded file, zip or page
MAX_REQUEST_BYTES = 100 * 1024 * 1024  # all files of one upload together
MAX_PAGE_BYTES = 2 * 1024 * 1024  # one page, after unpacking
MAX_TOTAL_BYTES = 100 * 1024 * 1024  # all pages of one review, after unpacking
MAX_PAGES = 2000
MAX_RATIO = 200  # unpacked size over packed size beyond which an entry is a bomb

_SKIP_PREFIXES = ("__MACOSX/",)
_SKIP_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass(frozen=True, slots=True)
class Page:
    """A file read from the upload: its text and markup, or why it cannot be reviewed."""

    path: str
    text: str = ""
    markup: str = "text"
    problem: str = ""

    @property
    def is_readable(self) -> bool:
        return not self.problem


class _Budget:
    def __init__(self) -> None:
        self.bytes = 0
        self.pages = 0


def _decode(data: bytes) -> str | None:
    """The text of ``data`` if it is text (UTF-8 or UTF-16 with BOM), else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        if b"\x00" in data[:8192]:
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    # control characters other than whitespace mean a binary file
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.01:
        return None
    return text


def _markup(path: str, text: str) -> str:
    lower = path.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lower.endswith((".md", ".markdown", ".mdx")):
        return "markdown"
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body")):
        return "html"
    return "text"


def _page(path: str, data: bytes, budget: _Budget) -> Page:
    if len(data) > MAX_PAGE_BYTES:
        return Page(path, problem=f"larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB")
    if budget.pages >= MAX_PAGES:
        return Page(path, problem=f"more than {MAX_PAGES} pages in one review")
    if budget.bytes + len(data) > MAX_TOTAL_BYTES:
        return Page(path, problem="the upload is too large in total")
    text = _decode(data)
    if text is None:
        return Page(path, problem="not a text file (HTML, Markdown or plain text)")
    budget.pages += 1
    budget.bytes += len(data)
    return Page(path, text=text.replace("\r\n", "\n"), markup=_markup(path, text))


def _safe_name(name: str) -> str | None:
    """The entry name as a relative path, or None when it points outside the archive."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = name.split("/")
    if any(part == ".." for part in parts):
        return None
    return posixpath.normpath(name)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    with archive.open(info) as handle:
        data = handle.read(MAX_PAGE_BYTES + 1)
    return None if len(data) > MAX_PAGE_BYTES else data


def _zip_pages(name: str, handle: BinaryIO, budget: _Budget) -> Iterator[Page]:
    try:
        archive = zipfile.ZipFile(handle)
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        yield Page(name, problem="not a readable zip archive (corrupt or truncated)")
        return
    with archive:
        for info in entries:
            if info.is_dir() or info.filename.startswith(_SKIP_PREFIXES):
                continue
            if posixpath.basename(info.filename) in _SKIP_NAMES:
                continue
            label = f"{name}/{info.filename}"
            safe = _safe_name(info.filename)
            if safe is None:
                yield Page(label, problem="unsafe path in the archive; not read")
                continue
            label = f"{name}/{safe}"
            if info.flag_bits & 0x1:
                yield Page(label, problem="encrypted; not read")
                continue
            if info.file_size > MAX_PAGE_BYTES:
                yield Page(
                    label, problem=f"larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB"
                )
                continue
            if (
                info.compress_size
                and info.file_size / info.compress_size > MAX_RATIO
                and info.file_size > 1024 * 1024
            ):
                yield Page(
                    label,
                    problem="compressed suspiciously well (a zip bomb?); not read",
                )
                continue
            if safe.lower().endswith(".zip"):
                yield Page(label, problem="a zip inside the zip; upload it on its own")
                continue
            try:
                data = _read_capped(archive, info)
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                NotImplementedError,
                ValueError,
            ) as error:
                yield Page(
                    label, problem=f"damaged in the archive ({type(error).__name__})"
                )
                continue
            if data is None:
                yield Page(
                    label, problem="unpacks to more than its stated size; not read"
                )
                continue
            yield _page(label, data, budget)


def read_uploads(files: Iterable[tuple[str, BinaryIO]]) -> list[Page]:
    """Every page in the uploaded files, zips unpacked; problems reported per file."""
    budget = _Budget()
    pages: list[Page] = []
    for raw_name, handle in files:
        name = posixpath.basename((raw_name or "upload").replace("\\", "/")) or "upload"
        head = handle.read(MAX_UPLOAD_BYTES + 1)
        if len(head) > MAX_UPLOAD_BYTES:
            pages.append(
                Page(
                    name, problem=f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
                )
            )
            continue
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")) or name.lower().endswith(
            ".zip"
        ):
            pages.extend(_zip_pages(name, io.BytesIO(head), budget))
        else:
            pages.append(_page(name, head, budget))
    return pages


class SizeCapUploadHandler(FileUploadHandler):
    """Refuses an upload larger than ``MAX_REQUEST_BYTES`` before it is stored anywhere.

    Installed ahead of Django's own handlers, so a huge request is stopped while it
    arrives instead of being spooled to a temporary file first.
    """

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: Any = None,
    ) -> None:
        if content_length > MAX_REQUEST_BYTES:
            self.request.upload_too_large = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self.request, "upload_too_large", False):
            raise StopUpload(connection_reset=True)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_REQUEST_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
