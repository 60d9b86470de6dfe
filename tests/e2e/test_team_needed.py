"""A member in no team, on a phone and by keyboard, is shown the way to a team."""

from __future__ import annotations

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def test_a_member_in_no_team_finds_the_teams_by_keyboard_on_a_phone(
    page, signed_in, demo_site
):
    from tests import factories

    newcomer = factories.member("newcomer")
    newcomer.set_password("purposeful-demo")
    newcomer.save()
    page.set_viewport_size(PHONE)
    signed_in("newcomer")
    for path in ("/customers/new/", "/messages/new/", "/targets/new/", "/offers/new/"):
        page.goto(f"{demo_site}{path}")
        expect(
            page.get_by_role("heading", name="Join a team first", level=1)
        ).to_be_visible()
        assert not page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        ), path
    teams = page.get_by_role("link", name="See the teams")
    for _ in range(40):  # the skip link, the menu, then the page's links
        if teams.evaluate("link => link === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site}/teams/")
