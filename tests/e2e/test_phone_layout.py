"""On a phone (390 px): a compact menu opened by keyboard, and no page scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}

# Rendered size of every SVG label: its font size times how much its chart shrank.
LABEL_SIZES = """() => Array.from(document.querySelectorAll('main svg text')).map(t => {
  const svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
  const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
  return parseFloat(getComputedStyle(t).fontSize) * scale;
})"""


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def _inner_scrollers(page) -> list[str]:
    """Boxes inside the page that scroll sideways, such as a wide table's wrapper."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('main *'))
      .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                   && e.scrollWidth > e.clientWidth + 1)
      .map(e => e.tagName.toLowerCase() + '.' + e.className)""")


def _header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def test_the_menu_opens_by_keyboard_on_a_phone(page, signed_in, demo_site):
    page.set_viewport_size(PHONE)
    signed_in("lena")
    nav = page.get_by_role("navigation", name="Main")
    targets = nav.get_by_role("link", name="Targets")
    # closed, the menu is one row: the brand and its button
    expect(targets).to_be_hidden()
    assert _header_height(page) < 80

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    menu = nav.get_by_text("Menu", exact=True)
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(targets).to_be_visible()
    while not targets.evaluate("link => link === document.activeElement"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Targets", level=1)).to_be_visible()
    expect(targets).to_be_hidden()  # a new page starts with the menu closed


def test_the_menu_is_inline_on_a_desktop(page, signed_in):
    page.set_viewport_size({"width": 1280, "height": 800})
    signed_in("lena")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_text("Menu", exact=True)).to_be_hidden()
    for name in ["Start", "Inbox", "Customers", "Targets", "Purpose"]:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    # a member's fourteen links in one row beside the brand (they took three)
    tops = page.eval_on_selector_all(
        "nav[aria-label=Main] li",
        "items => items.map(i => i.getBoundingClientRect().top)",
    )
    assert len(tops) >= 14
    assert max(tops) - min(tops) < 10, tops
    # opened by a script (as the security tests open every disclosure), the wide
    # menu stays in the header instead of covering the page
    height = _header_height(page)
    page.evaluate("document.querySelector('details.nav-menu').open = true")
    assert _header_height(page) == height
    main = page.locator("main").bounding_box()
    assert page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('header') === null",
        [main["x"] + 20, main["y"] + 20],
    )


@pytest.mark.parametrize("username", ["amara", "lena"])
def test_no_page_in_the_menu_scrolls_sideways_on_a_phone(
    page, signed_in, demo_site, username
):
    page.set_viewport_size(PHONE)
    signed_in(username)
    links = page.eval_on_selector_all(
        "nav[aria-label=Main] a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(links) > 10
    links.append("/api/")  # the API reference, linked from every member's footer
    page.goto(f"{demo_site}/targets/")
    links += page.eval_on_selector_all(
        "main a[href^='/targets/']", "links => links.map(a => a.getAttribute('href'))"
    )
    wide, tall = [], []
    for href in dict.fromkeys(links):
        page.goto(f"{demo_site}{href}")
        if _scrolls_sideways(page):
            wide.append(href)
        if _header_height(page) >= 80:
            tall.append(href)
    assert not wide, f"these pages scroll sideways at 390 px: {wide}"
    assert not tall, f"the menu takes more than one row on: {tall}"


def test_target_pages_fit_a_phone_with_readable_chart_labels(
    page, signed_in, demo_site
):
    page.set_viewport_size(PHONE)
    signed_in("lena")
    page.goto(f"{demo_site}/targets/")
    targets = page.eval_on_selector_all(
        "main a[href^='/targets/']", "links => links.map(a => a.getAttribute('href'))"
    )
    charted = 0
    for href in dict.fromkeys(h for h in targets if re.fullmatch(r"/targets/\d+/", h)):
        page.goto(f"{demo_site}{href}")
        assert not _inner_scrollers(page), f"{href}: {_inner_scrollers(page)}"
        sizes = page.evaluate(LABEL_SIZES)
        if sizes:
            charted += 1
            assert min(sizes) >= 11, f"{href}: labels of {min(sizes):.1f} px"
    assert charted, "no target in the demo has a chart"
