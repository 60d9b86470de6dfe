"""Paging without counting: long lists show one page and whether there is another.

Counting every match of a search over a few hundred thousand signals costs as
much as the search itself; people page forward, they don't need the total.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass
class Window:
    items: list[Any]
    number: int
    has_next: bool

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def window(queryset: Any, page: str | int | None, size: int) -> Window:
    """The ``page``-th slice of ``size`` items (1-based; nonsense means page 1)."""
    try:
        number = max(1, min(int(page or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    items = list(queryset[start : start + size + 1])
    return Window(items=items[:size], number=number, has_next=len(items) > size)


def without_page(request: HttpRequest) -> str:
    """The request's query string without ``page``, for the pager's links to keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
