"""Reading a CRM's CSV export: encoding, delimiter, columns, and per-row checks."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

DELIMITERS = ",;\t|"
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
MAX_BYTES = 50 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
FIELDS = [
    "account_name",
    "account_kind",
    "account_notes",
    "contact_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "contact_notes",
    "consents_to_contact",
]
YES = {"yes", "y", "true", "1", "x", "opted in", "subscribed", "ja", "oui", "si"}
NEGATED = {"consents_to_contact": ("opt out", "optout", "opted out", "unsubscribed")}

Progress = Callable[[int, int], None]


class ImportFileError(ValueError):
    """The file cannot be read at all (not a problem of single rows)."""


def _normal(header: str) -> str:
    return re.sub(r"[\s._\-]+", "", header.strip().lower())


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    text = (resources.files("purposeful.exchange") / "data" / "headers.json").read_text(
        encoding="utf-8"
    )
    known: dict[str, str] = {}
    for name, headers in json.loads(text).items():
        if name.startswith("_"):
            continue
        for header in [name, *headers]:
            known.setdefault(_normal(header), name)
    return known


# Codecs Python knows that are no file's character set: "undefined" fails on
# any input, "idna" and "punycode" read host names, and the escape codecs turn
# "\\ud800" into a lone surrogate that no database can store.
NOT_FILE_ENCODINGS = {
    "undefined",
    "idna",
    "punycode",
    "unicode-escape",
    "raw-unicode-escape",
}


# How people know the character sets a CRM or spreadsheet writes; others keep
# Python's name for them.
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Western European (Windows-1252)",
    "latin-1": "Western European (ISO 8859-1)",
    "iso8859-1": "Western European (ISO 8859-1)",
    "cp1250": "Central European (Windows-1250)",
    "iso8859-2": "Central European (ISO 8859-2)",
    "cp1251": "Cyrillic (Windows-1251)",
    "mac-roman": "Western European (Mac)",
}


def encoding_label(encoding: str) -> str:
    """The character set as a person knows it: "Central European (Windows-1250)"."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    return ENCODING_LABELS.get(name, ENCODING_LABELS.get(encoding, encoding))


def encoding_check(encoding: str) -> str:
    """The encoding asked for, if it can be a CSV file's character set."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):
        info = None
    if (
        info is None
        or info.name in NOT_FILE_ENCODINGS
        # bytes-to-bytes codecs such as rot13 or base64
        or not getattr(info, "_is_text_encoding", True)
    ):
        raise ImportFileError(
            f"{encoding[:40]!r} is not a character set a file can be in; "
            f"try one of {', '.join(ENCODINGS)}."
        )
    return encoding if len(encoding) <= 40 else info.name


def _too_large() -> ImportFileError:
    return ImportFileError(
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into parts."
    )


def _size(source: BinaryIO) -> int | None:
    size = getattr(source, "size", None)
    if size is None:
        try:
            size = source.seek(0, io.SEEK_END)
        except (AttributeError, OSError, ValueError):
            return None
    return size


def _decode_chunks(source: BinaryIO, encoding: str) -> str:
    # One chunk of bytes at a time: the upload (often a temporary file) is never
    # held whole, and a file that grows past the limit stops being read.
    source.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    parts, read = [], 0
    while chunk := source.read(CHUNK_BYTES):
        read += len(chunk)
        if read > MAX_BYTES:
            raise _too_large()
        parts.append(decoder.decode(chunk))
    parts.append(decoder.decode(b"", True))
    return "".join(parts)


def read_text(source: bytes | BinaryIO, encoding: str = "") -> tuple[str, str]:
    """The file's text and the encoding used: the one asked for, else detected.

    A file larger than ``MAX_BYTES`` is refused before it is read; the rest is
    read a chunk at a time.
    """
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    size = _size(source)
    if size is not None and size > MAX_BYTES:
        raise _too_large()
    if encoding:
        codec = encoding_check(encoding)
        try:
            return _decode_chunks(source, codec), codec
        except ValueError as error:  # UnicodeError and codecs' own complaints
            raise ImportFileError(
                f"The file cannot be read as {encoding[:40]}: {error}"
            ) from None
    source.seek(0)
    bom = source.read(3)
    if bom.startswith(codecs.BOM_UTF8):
        guess = "utf-8-sig"
    elif bom.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        guess = "utf-16"
    else:
        try:
            return _decode_chunks(source, "utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        from charset_normalizer import from_bytes

        source.seek(0)
        best = from_bytes(
            source.read(200_000),
            cp_isolation=["cp1252", "latin_1", "cp1250", "mac_roman"],
        ).best()
        guess = best.encoding if best is not None else "cp1252"
    try:
        return _decode_chunks(source, guess), guess
    except UnicodeDecodeError:
        return _decode_chunks(source, "latin-1"), "latin-1"


def sniff_delimiter(text: str, delimiter: str = "") -> str:
    if delimiter:
        if delimiter == "\\t" or delimiter.lower() == "tab":
            return "\t"
        if len(delimiter) != 1:
            raise ImportFileError("The delimiter is one character, like , or ;.")
        return delimiter
    sample = "\n".join(text[:65_536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)  # type: ignore[arg-type]
        return best if counts[best] else ","


def map_columns(headers: list[str]) -> dict[str, int]:
    """Purposeful field → column index, for the columns we recognise."""
    known = aliases()
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = known.get(_normal(header))
        if name and name not in mapping:
            mapping[name] = index
    return mapping


@dataclass(slots=True)
class Row:
    line: int
    account_name: str = ""
    account_kind: str = "organisation"
    account_notes: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    contact_notes: str = ""
    consents_to_contact: bool = False
    errors: list[str] = field(default_factory=list)
    duplicate: str = ""

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.email or self.phone)


@dataclass
class ParsedFile:
    text: str
    encoding: str
    delimiter: str
    headers: list[str]
    mapping: dict[str, int]

    @property
    def ignored(self) -> list[str]:
        """Headers of the columns no field reads (blank headers are no column)."""
        used = set(self.mapping.values())
        return [
            header.strip()
            for index, header in enumerate(self.headers)
            if index not in used and header.strip()
        ]


def lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, without a copy of the whole text.

    (``io.StringIO(text)`` keeps four bytes per character.)
    """
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start)
        if end == -1:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def open_file(
    source: bytes | BinaryIO, *, encoding: str = "", delimiter: str = ""
) -> ParsedFile:
    """The file read and its columns recognised, or ImportFileError saying why not."""
    text, used = read_text(source, encoding)
    return open_text(text, encoding=used, delimiter=delimiter)


def open_text(text: str, *, encoding: str, delimiter: str = "") -> ParsedFile:
    if "\x00" in text:
        raise ImportFileError("This does not look like a CSV file.")
    delim = sniff_delimiter(text, delimiter)
    reader = csv.reader(lines(text), delimiter=delim)
    try:
        headers = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"The first line cannot be read: {error}") from None
    mapping = map_columns(headers)
    if "account_name" not in mapping and not (
        {"contact_name", "first_name", "last_name"} & set(mapping)
    ):
        raise ImportFileError(
            "No column names a customer: add a column such as “Company” or “Account "
            f"Name” (found: {', '.join(h for h in headers[:12] if h) or 'none'})."
        )
    return ParsedFile(text, encoding, delim, headers, mapping)


def _cell(values: list[str], mapping: dict[str, int], name: str) -> str:
    index = mapping.get(name)
    if index is None or index >= len(values):
        return ""
    return values[index].strip()


def _consent(value: str, header_negated: bool) -> bool:
    yes = value.strip().lower() in YES
    return not yes if header_negated and value.strip() else yes


def rows(parsed: ParsedFile) -> Iterator[Row]:
    """Every data row, checked on its own (duplicates are found by the caller)."""
    reader = csv.reader(lines(parsed.text), delimiter=parsed.delimiter)
    mapping = parsed.mapping
    consent_index = mapping.get("consents_to_contact")
    negated = consent_index is not None and any(
        word in parsed.headers[consent_index].lower()
        for word in NEGATED["consents_to_contact"]
    )
    line = 1
    try:
        next(reader)
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            yield _row(values, mapping, line, negated)
    except csv.Error as error:
        yield Row(line=line + 1, errors=[f"This line cannot be read: {error}"])


def _row(values: list[str], mapping: dict[str, int], line: int, negated: bool) -> Row:
    get = lambda name: _cell(values, mapping, name)  # noqa: E731
    name = get("contact_name") or " ".join(
        p for p in (get("first_name"), get("last_name")) if p
    )
    row = Row(
        line=line,
        account_name=get("account_name"),
        account_notes=get("account_notes"),
        contact_name=name,
        email=get("email").lower(),
        phone=get("phone"),
        contact_notes=get("contact_notes"),
        consents_to_contact=_consent(get("consents_to_contact"), negated),
    )
    kind = get("account_kind").lower()
    if kind in {"person", "individual", "private", "consumer"}:
        row.account_kind = "person"
    if not row.account_name and row.contact_name:
        # a person buying for themselves is their own account
        row.account_name, row.account_kind = row.contact_name, "person"
    if not row.account_name:
        row.errors.append("No customer name: fill in the company or the person.")
    if len(row.account_name) > 200:
        row.errors.append("The customer name is longer than 200 characters.")
    if len(row.contact_name) > 200:
        row.errors.append("The contact name is longer than 200 characters.")
    if len(row.phone) > 40:
        row.errors.append("The phone number is longer than 40 characters.")
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(f"“{row.email[:80]}” is not an e-mail address.")
    if (row.email or row.phone) and not row.contact_name:
        row.errors.append("A contact's e-mail or phone needs their name.")
    return row
