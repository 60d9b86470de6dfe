"""The one pagination of every list in the API: ``{"items", "total", "next"}``.

A list endpoint is decorated with ``@paginate(Page)`` and returns its rows (a
queryset, a list, or :class:`Mapped` rows turned into the API's dicts page by
page); the client pages with ``limit`` and ``offset`` and follows ``next``
until it is null.

A module with paginated views keeps its annotations evaluated (no ``from
__future__ import annotations``): ninja reads a paginated view's annotations
in the namespace of its own wrapper, where a name like ``Query`` is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

# A database answers an OFFSET past 2**63 with an error, not an empty page.
MAX_OFFSET = 1_000_000_000


class Mapped:
    """Rows whose page only is turned into the API's dicts (and read from the database)."""

    def __init__(self, rows: QuerySet | Sequence[Any], out: Callable[[Any], Any]):
        self.rows = rows
        self.out = out

    def count(self) -> int:
        if isinstance(self.rows, QuerySet):
            return self.rows.count()
        return len(self.rows)

    def __getitem__(self, window: slice) -> list[Any]:
        return [self.out(row) for row in self.rows[window]]


class Counted:
    """A page read by the caller's own function, beside the total it gives."""

    def __init__(
        self, total: Callable[[], int], page: Callable[[int, int], list[Any]]
    ) -> None:
        self.total = total
        self.page = page

    def count(self) -> int:
        return self.total()

    def __getitem__(self, window: slice) -> list[Any]:
        return self.page(window.start, window.stop - window.start)


class Page(PaginationBase):
    """``limit`` items from ``offset``, the total, and the address of the next page."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="Items per page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    class Output(Schema):
        items: list[Any]
        total: int
        next: str | None = Field(
            description="The address of the next page; null on the last one."
        )

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        # Input has already refused sizes out of range (a 4xx, not a quietly
        # shorter page that a client would take for the last one).
        limit, offset = pagination.limit, pagination.offset
        total = _count(queryset)
        items = list(queryset[offset : offset + limit])
        following = offset + limit
        return {
            "items": items,
            "total": total,
            "next": _address(request, limit, following) if following < total else None,
        }


class ExportPage(Page):
    """Exports page by the thousand: a client copies every record."""

    class Input(Schema):
        limit: int = Field(1000, ge=1, le=10_000, description="Records per page.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Records to skip.")


def _count(rows: Any) -> int:
    count = getattr(rows, "count", None)
    if isinstance(rows, QuerySet | Mapped | Counted) and count is not None:
        return count()
    return len(rows)


def _address(request: HttpRequest, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
