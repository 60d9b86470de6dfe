"""Paging without counting: a page and whether there is another."""

from __future__ import annotations

from django.test import RequestFactory

from purposeful.relationships.paging import window, without_page


def test_window_knows_whether_a_next_page_exists_without_counting():
    items = list(range(7))
    first = window(items, None, 3)
    assert list(first) == [0, 1, 2] and first.has_next and not first.has_previous
    last = window(items, "3", 3)
    assert list(last) == [6] and not last.has_next and last.previous_page_number == 2


def test_window_treats_nonsense_page_numbers_as_the_first_page():
    assert window([1, 2], "abc", 5).number == 1
    assert window([1, 2], "-4", 5).number == 1


def test_without_page_keeps_every_filter_but_the_page():
    request = RequestFactory().get("/x", {"q": "café", "team": "3", "page": "2"})
    assert without_page(request) == "q=caf%C3%A9&team=3"
    assert without_page(RequestFactory().get("/x", {"page": "4"})) == ""
