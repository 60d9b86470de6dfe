"""The one way the app writes CSV: every cell is safe to open in a spreadsheet.

Names, tags and file names come from members and from the public; a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` sends the
reader elsewhere). As OWASP recommends, such a cell is prefixed with ``'`` so
it is shown as the text it is; the csv module quotes cells holding separators,
quotes or line breaks, so a formula cannot start after a separator either.

That prefix is shown by the spreadsheet (a phone number reads ``'+31 20 …``),
and spreadsheet programs read UTF-8 correctly only after a byte-order mark. So a
file comes in two kinds: *for spreadsheets* (the default: a BOM, and formula
starts prefixed) and *plain* (UTF-8 without a BOM, every value exactly as
stored), for other programs and for importing again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a file for spreadsheets starts with: the byte-order mark, as text.
BOM = "\ufeff"


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def cell(value: Any, *, for_spreadsheets: bool = True) -> Any:
    """``value`` as a CSV cell; for spreadsheets, one they show and never run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set | frozenset):
        value = ", ".join(str(item) for item in value)
    if for_spreadsheets and isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Writer:
    """A ``csv.writer`` whose every cell goes through :func:`cell`.

    It writes no byte-order mark: :func:`text` and :func:`chunks` start the file.
    """

    def __init__(self, out: _Writable, *, for_spreadsheets: bool = True) -> None:
        self._writer = csv.writer(out)
        self._for_spreadsheets = for_spreadsheets

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(
            [cell(value, for_spreadsheets=self._for_spreadsheets) for value in row]
        )

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def text(
    header: Iterable[Any],
    rows: Iterable[Iterable[Any]],
    *,
    for_spreadsheets: bool = True,
) -> str:
    """A whole CSV file as one string."""
    out = io.StringIO()
    if for_spreadsheets:
        out.write(BOM)
    writer = Writer(out, for_spreadsheets=for_spreadsheets)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def chunks(
    header: Iterable[Any],
    rows: Iterable[Iterable[Any]],
    *,
    every: int = 1000,
    for_spreadsheets: bool = True,
) -> Iterator[str]:
    """A CSV file in pieces of ``every`` rows, for a streaming response."""
    out = io.StringIO()
    if for_spreadsheets:
        out.write(BOM)
    writer = Writer(out, for_spreadsheets=for_spreadsheets)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % every == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
