"""A member signs in, looks at a team, changes the purpose and finds the old one."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_member_changes_purpose_and_sees_old_version_in_history(signed_in, demo_site):
    page = signed_in("lena")
    expect(page.get_by_role("heading", name="Hello, Lena Vogel")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Teams"
    ).click()
    page.get_by_role("link", name="Workshop", exact=True).click()
    expect(page.get_by_role("heading", name="Workshop", level=1)).to_be_visible()
    expect(page.get_by_text("Customer link:")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Purpose"
    ).click()
    old = page.locator("blockquote.purpose").inner_text()
    page.get_by_role("link", name="Change the purpose").click()
    page.get_by_label("Purpose").fill(
        "Keep every bicycle riding, and every rider able to fix it."
    )
    page.get_by_label("Why change it?").fill("We teach more than we repair now.")
    page.get_by_role("button", name="Save a new version").click()

    expect(page).to_have_url(re.compile(r"/purpose/history/$"))
    current = page.locator(".history-item.current")
    expect(current).to_contain_text(
        "Keep every bicycle riding, and every rider able to fix it."
    )
    expect(current).to_contain_text("Lena Vogel")
    expect(current).to_contain_text("We teach more than we repair now.")
    expect(page.locator(".history-item").nth(1)).to_contain_text(old.strip()[:40])


def test_empty_purpose_is_refused_with_a_message_and_keeps_the_reason(
    signed_in, demo_site
):
    page = signed_in("kofi")
    page.goto(f"{demo_site}/purpose/edit/")
    page.get_by_label("Purpose").fill("")
    page.get_by_label("Why change it?").fill("my reason")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.locator(".error")).to_contain_text("This field is required.")
    expect(page.get_by_label("Why change it?")).to_have_value("my reason")


def test_home_page_works_on_a_phone_and_by_keyboard(page, demo_site):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo_site + "/")
    expect(
        page.get_by_role("heading", name="Wheelhouse Cycle Cooperative")
    ).to_be_visible()
    no_overflow = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_overflow
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
