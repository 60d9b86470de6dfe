"""A member opens an emerging group on the sensing page and proposes an offer from it."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_member_opens_a_group_and_turns_it_into_an_offer_draft(signed_in, demo_site):
    page = signed_in("amara")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Sensing"
    ).click()
    expect(
        page.get_by_role("heading", name="What is emerging", level=1)
    ).to_be_visible()
    # every group has its chart with the numbers behind it
    expect(page.locator(".sensing-groups svg").first).to_be_visible()
    cargo = page.get_by_role("link", name=re.compile("cargo"))
    expect(cargo).to_be_visible()
    cargo.click()
    expect(
        page.get_by_role("heading", name=re.compile("cargo"), level=1)
    ).to_be_visible()
    expect(page.get_by_text(re.compile("cargo bike")).first).to_be_visible()
    page.get_by_text("The numbers").first.click()
    expect(page.get_by_role("columnheader", name="Month")).to_be_visible()
    page.get_by_label("Team to propose it to").select_option(label="Workshop")
    page.get_by_role("button", name="Propose an offer draft").click()
    expect(page.get_by_text("A proposed offer draft was started")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("Proposal: .*cargo"))
    ).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
