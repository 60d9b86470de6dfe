"""Reading a CRM's CSV export: encoding, delimiter, columns, and per-row checks."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

DELIMITERS = ",;\t|"
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
MAX_BYTES = 50 * 1024 * 1024
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


def decode(data: bytes, encoding: str = "") -> tuple[str, str]:
    """The text and the encoding used: the one asked for, else detected."""
    if len(data) > MAX_BYTES:
        raise ImportFileError("The file is larger than 50 MB; split it into parts.")
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as error:
            raise ImportFileError(
                f"The file cannot be read as {encoding}: {error}"
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(
        data[:200_000], cp_isolation=["cp1252", "latin_1", "cp1250", "mac_roman"]
    ).best()
    guess = best.encoding if best is not None else "cp1252"
    try:
        return data.decode(guess), guess
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


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


@dataclass
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


def open_file(data: bytes, *, encoding: str = "", delimiter: str = "") -> ParsedFile:
    text, used = decode(data, encoding)
    if "\x00" in text:
        raise ImportFileError("This does not look like a CSV file.")
    delim = sniff_delimiter(text, delimiter)
    reader = csv.reader(io.StringIO(text), delimiter=delim)
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
    return ParsedFile(text, used, delim, headers, mapping)


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
    reader = csv.reader(io.StringIO(parsed.text), delimiter=parsed.delimiter)
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
