"""A team's start page shows what waits for its answer; leaving asks first."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_receiving_team_sees_a_pending_handover_on_its_start_page(signed_in):
    page = signed_in("lena")  # Workshop, which Mobile Repair proposes Harbour to
    waiting = page.get_by_role("region", name="Waiting for your team's answer")
    expect(waiting).to_contain_text("Mobile Repair proposes that Workshop takes")
    waiting.get_by_role("link", name="Harbour Logistics").click()
    expect(page.get_by_role("heading", name="Hand-over proposed")).to_be_visible()
    page.get_by_role("button", name="Accept the customer").click()
    expect(page.get_by_text("Harbour Logistics is now with Workshop")).to_be_visible()
    page.goto(page.url.split("/customers/")[0] + "/start/")
    expect(page.get_by_text("Harbour Logistics")).to_have_count(0)


def test_team_sees_a_request_to_join_on_its_start_page(signed_in):
    page = signed_in("jonas")  # Mobile Repair, which Tomas asks to join
    waiting = page.get_by_role("region", name="Waiting for your team's answer")
    waiting.get_by_role("link", name="Tomás Ruiz asks to join Mobile Repair").click()
    expect(page.get_by_role("heading", name="Asking to join")).to_be_visible()


def test_proposing_that_a_teammate_leaves_asks_first_by_keyboard(signed_in):
    page = signed_in("lena")
    page.goto(page.url.replace("/start/", "/teams/workshop/"))
    page.get_by_role("link", name=re.compile("Propose that Kofi")).focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name=re.compile("leaves Workshop\\?"))
    ).to_be_visible()
    page.get_by_role("link", name="Cancel: nothing changes").click()
    expect(page.get_by_role("heading", name="Workshop", level=1)).to_be_visible()
    expect(page.get_by_text("Proposed to leave")).to_have_count(0)
