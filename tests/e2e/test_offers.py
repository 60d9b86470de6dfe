"""A member drafts an offer with the guided form, a colleague advises, the team
publishes, a visitor finds it in the catalogue, and the history keeps both versions."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_offer_from_draft_through_advice_to_catalogue_and_history(signed_in, demo_site):
    page = signed_in("lena")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Offers"
    ).click()
    page.get_by_role("link", name="Draft an offer").click()

    page.get_by_label("What do you call it?").fill("Puncture repair while you wait")
    page.get_by_label("Say it in one plain sentence.").fill(
        "We fix your flat tyre in fifteen minutes while you have a coffee."
    )
    page.get_by_label("What genuine need does it fill?").fill(
        "A flat tyre should not cost anyone a day without their bike."
    )
    page.get_by_label("How does it serve our purpose?").fill(
        "It keeps bikes riding today, not next week."
    )
    page.get_by_label("What would make us proud of it?").fill(
        "We patch tubes instead of throwing them away whenever we can."
    )
    page.get_by_label("What is not good yet?").fill(
        "On busy Saturdays the wait can be longer."
    )
    page.get_by_label("At this moment, this is the best we can do", exact=False).fill(
        "A quick, careful repair for a fair price."
    )
    page.get_by_label("What does it cost?").fill("twelve")
    page.get_by_role("button", name="Save the draft").click()
    # a bad price is explained and nothing typed is lost
    expect(page.get_by_text("Write the price as a number")).to_be_visible()
    expect(page.get_by_label("What do you call it?")).to_have_value(
        "Puncture repair while you wait"
    )
    page.get_by_label("What does it cost?").fill("12")
    page.get_by_role("button", name="Save the draft").click()
    expect(page).to_have_url(
        re.compile(r"/offers/puncture-repair-while-you-wait/canvas/$")
    )
    expect(page.get_by_role("heading", name="What the lens sees")).to_be_visible()

    page.get_by_text("Ask colleagues or teams for advice").click()
    page.get_by_label("Fatima Haddad").check()
    page.get_by_label("What would you like advice on?").fill("Is twelve fair?")
    page.get_by_role("button", name="Ask for advice").click()
    expect(page.get_by_text("Asked Fatima Haddad for advice")).to_be_visible()
    _sign_out(page)

    page = signed_in("fatima")
    page.goto(f"{demo_site}/offers/ours/")
    page.get_by_role("link", name="Puncture repair while you wait").first.click()
    page.get_by_label("Your advice").fill("Twelve is fair. Say that patches are free.")
    page.get_by_role("button", name="Add your advice").click()
    expect(
        page.get_by_text("Twelve is fair. Say that patches are free.")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Publish"))).to_have_count(0)
    _sign_out(page)

    page = signed_in("lena")
    page.goto(f"{demo_site}/offers/puncture-repair-while-you-wait/canvas/")
    expect(page.get_by_text("Twelve is fair.")).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(
        page.get_by_role("heading", name="Puncture repair while you wait", level=1)
    ).to_be_visible()
    _sign_out(page)

    page.goto(f"{demo_site}/offers/")
    page.get_by_role("link", name="Puncture repair while you wait").click()
    expect(page.get_by_text("Made by the Workshop team")).to_be_visible()
    expect(page.get_by_role("link", name="Write to the team")).to_have_attribute(
        "href", "/write-to-us/?offer=puncture-repair-while-you-wait"
    )

    page = signed_in("lena")
    page.goto(f"{demo_site}/offers/puncture-repair-while-you-wait/canvas/")
    page.get_by_role("link", name="Change (starts a new version)").click()
    page.get_by_label("Say it in one plain sentence.").fill(
        "We fix your flat tyre in fifteen minutes; patches are free."
    )
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_label("What changed and why").fill("Fatima's advice: patches are free.")
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name=re.compile("^Version 2"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Version 1"))).to_be_visible()
    expect(page.locator("#v2 ins", has_text="patches")).to_be_visible()
    expect(page.locator("#v1")).to_contain_text("Twelve is fair.")


def test_visitor_on_a_phone_reads_an_offer_and_reaches_the_team_by_keyboard(
    page, demo_site
):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{demo_site}/offers/")
    page.get_by_role("link", name="Honest repair check").click()
    expect(
        page.get_by_role("heading", name="Honest repair check", level=1)
    ).to_be_visible()
    picture = page.get_by_role("img", name="Drawing of a green city bike")
    expect(picture).to_have_attribute("width", "800")
    # nothing is wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    write = page.get_by_role("link", name="Write to the team")
    for _ in range(40):
        page.keyboard.press("Tab")
        if write.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("the 'Write to the team' link is not reachable by Tab")
    assert write.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
