"""Reading uploaded site files safely: judged by content, capped in size, never written to disk.

A zip is opened in memory and judged by its central directory before anything is
unpacked: too many entries, or more unpacked bytes than one review may hold, and it
is refused whole. Each entry is then read in chunks through a cap of its stated
size and of what is left of the review's budget, since a header can lie. Entry
names are only used as labels in the report, and names that try to climb out of
the archive are refused. Every problem is reported for its own file, and the rest
are still read; the report itself has a bounded number of rows.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MAX_UPLOAD_BYTES = 25 * 1024 * 1024  # one uploaded file, zip or page
MAX_REQUEST_BYTES = 100 * 1024 * 1024  # all files of one upload together
MAX_PAGE_BYTES = 2 * 1024 * 1024  # one page, after unpacking
MAX_TOTAL_BYTES = 100 * 1024 * 1024  # all pages of one review, after unpacking
MAX_PAGES = 2000
MAX_ROWS = MAX_PAGES + 500  # rows of one review's report, pages and problems
MAX_ENTRIES = 5000  # files and folders in one zip
MAX_RATIO = 200  # unpacked size over packed size beyond which an entry is a bomb
_READ_CHUNK = 64 * 1024

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
        self.bytes = 0  # of the pages kept
        self.pages = 0
        self.unpacked = 0  # every byte unpacked from a zip, kept or not
        self.rows = 0  # of the report
        self.left_out = 0  # files not even looked at: the report was full

    @property
    def is_full(self) -> bool:
        return self.rows >= MAX_ROWS - 1

    @property
    def unpack_left(self) -> int:
        return MAX_TOTAL_BYTES - self.unpacked


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


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


def _read_capped(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget
) -> bytes | None:
    """The entry's bytes, or None when it unpacks to more than it may."""
    # zipfile itself stops at the stated size; counting here holds the budget
    # whatever the archive's headers claim.
    limit = min(MAX_PAGE_BYTES, info.file_size, budget.unpack_left)
    parts, read = [], 0
    with archive.open(info) as handle:
        while read <= limit and (
            chunk := handle.read(min(_READ_CHUNK, limit + 1 - read))
        ):
            read += len(chunk)
            budget.unpacked += len(chunk)
            parts.append(chunk)
    return None if read > limit else b"".join(parts)


def _end_record(data: bytes) -> tuple[int, int] | None:
    """Entries and central-directory size the archive's end record states."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if at == -1 or len(data) < at + 22:
        return None
    entries, size = struct.unpack_from("<HI", data, at + 10)
    return entries, size


def _refusal(data: bytes) -> str | None:
    """Why the archive is refused before its entries are even listed, or None."""
    record = _end_record(data)
    if record is None:
        return None  # zipfile says what is wrong with it
    entries, size = record
    # 0xFFFF and 0xFFFFFFFF point to a ZIP64 record: only needed beyond our caps
    if entries > MAX_ENTRIES or size > MAX_ENTRIES * 1024:
        return f"more than {MAX_ENTRIES} files in the archive; upload it in parts"
    return None


def _entry_problem(info: zipfile.ZipInfo, safe: str) -> str:
    """Why the entry is not unpacked, judged by its header alone ("" if it is)."""
    if info.flag_bits & 0x1:
        return "encrypted; not read"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # zipfile unpacks bzip2 and LZMA without an output bound per read
        return "compressed with bzip2 or LZMA; zip it again with usual compression"
    if info.file_size > MAX_PAGE_BYTES:
        return f"larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB"
    if (
        info.compress_size
        and info.file_size / info.compress_size > MAX_RATIO
        and info.file_size > 1024 * 1024
    ):
        return "compressed suspiciously well (a zip bomb?); not read"
    if safe.lower().endswith(".zip"):
        return "a zip inside the zip; upload it on its own"
    return ""


def _zip_pages(name: str, data: bytes, budget: _Budget) -> Iterator[Page]:
    if refusal := _refusal(data):
        yield Page(name, problem=refusal)
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        yield Page(name, problem="not a readable zip archive (corrupt or truncated)")
        return
    with archive:
        if len(entries) > MAX_ENTRIES:  # the end record can lie too
            yield Page(
                name,
                problem=f"more than {MAX_ENTRIES} files in the archive; "
                "upload it in parts",
            )
            return
        listed: list[tuple[str, zipfile.ZipInfo | None, str]] = []
        info: zipfile.ZipInfo | None
        for info in entries:
            if info.is_dir() or info.filename.startswith(_SKIP_PREFIXES):
                continue
            if posixpath.basename(info.filename) in _SKIP_NAMES:
                continue
            safe = _safe_name(info.filename)
            if safe is None:
                unsafe = "unsafe path in the archive; not read"
                listed.append((f"{name}/{info.filename}", None, unsafe))
                continue
            listed.append((f"{name}/{safe}", info, _entry_problem(info, safe)))
        stated = sum(
            info.file_size for _, info, problem in listed if info and not problem
        )
        if stated > budget.unpack_left:
            yield Page(
                name,
                problem=f"unpacks to {_mb(stated)}; a review reads at most "
                f"{_mb(MAX_TOTAL_BYTES)} in all",
            )
            return
        for index, (label, info, problem) in enumerate(listed):
            if budget.is_full:
                # counted, never unpacked: a zip of empty files stops here
                budget.left_out += len(listed) - index
                return
            if problem or info is None:
                yield Page(label, problem=problem)
                continue
            try:
                page_data = _read_capped(archive, info, budget)
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
            if page_data is None:
                yield Page(
                    label, problem="unpacks to more than its stated size; not read"
                )
                continue
            yield _page(label, page_data, budget)


def read_uploads(files: Iterable[tuple[str, BinaryIO]]) -> list[Page]:
    """Every page in the uploaded files, zips unpacked; problems reported per file.

    At most ``MAX_ROWS`` are returned; a last row says how many more files
    there were.
    """
    budget = _Budget()
    pages: list[Page] = []
    for raw_name, handle in files:
        name = posixpath.basename((raw_name or "upload").replace("\\", "/")) or "upload"
        head = handle.read(MAX_UPLOAD_BYTES + 1)
        if len(head) > MAX_UPLOAD_BYTES:
            found: Iterable[Page] = [
                Page(
                    name, problem=f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
                )
            ]
        elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")) or name.lower().endswith(
            ".zip"
        ):
            found = _zip_pages(name, head, budget)
        else:
            found = [_page(name, head, budget)]
        for page in found:
            if budget.is_full:
                budget.left_out += 1
                continue
            pages.append(page)
            budget.rows += 1
    if budget.left_out:
        pages.append(
            Page(
                f"{budget.left_out} more files",
                problem=f"not read: one review lists at most {MAX_ROWS - 1} files",
            )
        )
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
            # a mark of this handler's own on the request, read back with getattr
            cast(Any, self.request).upload_too_large = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self.request, "upload_too_large", False):
            raise StopUpload(connection_reset=True)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > MAX_REQUEST_BYTES:
            cast(Any, self.request).upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
