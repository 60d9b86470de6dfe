"""A member opens an emerging group on the sensing page and proposes an offer from it."""

from __future__ import annotations

import re

import pytest
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


LOCKERS = [
    "Could you put secure bike lockers by the shop? My bike was stolen twice.",
    "Is there safe bike parking with lockers near the workshop?",
    "Lockable bike storage at the station would stop the thefts.",
    "We need covered, locked bike parking for the flats on our street.",
    "A bike locker I can rent by the month, please; my hallway is too small.",
    "Secure parking for e-bikes: nobody leaves a 3,000 euro bike on the street.",
    "Could the shop rent out bike lockers for commuters?",
    "Theft-proof bike parking with lockers, like they have in the city centre.",
]
MORE_LOCKERS = [
    "Any plans for bike lockers? The racks outside get my locks cut.",
    "Please offer locked bike storage, I'd pay for a locker.",
    "Secure bike lockers at the shop would let me leave my bike while I shop.",
]


@pytest.fixture
def tasks_at_once(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def _record(texts):
    from purposeful.feedback.models import Signal
    from purposeful.organisation.models import Team

    team = Team.objects.get(name="Workshop")
    for words in texts:
        Signal.objects.create(team=team, kind="need", words=words)


def _size(page) -> int:
    lead = page.locator("p.lead").first.inner_text()
    return int(re.match(r"(\d+) signal", lead).group(1))


def test_a_group_keeps_the_name_a_member_gave_it_when_sensing_runs_again(
    signed_in, demo_site, tasks_at_once
):
    _record(LOCKERS)
    page = signed_in("amara")
    page.goto(f"{demo_site}/sensing/")
    page.get_by_role("button", name="Recompute now").click()
    # the group whose quote, its most typical signal, is about lockers
    lockers = page.locator("li.card", has_text=re.compile("locker", re.I))
    expect(lockers.first).to_be_visible()
    lockers.first.get_by_role("link").first.click()
    page.get_by_label("Name", exact=True).fill("Safe parking for bikes")
    page.get_by_role("button", name="Rename").click()
    expect(
        page.get_by_role("heading", name="Safe parking for bikes", level=1)
    ).to_be_visible()
    group_url = page.url
    before = _size(page)

    # one more signal passed on by hand, the others as they come in
    page.goto(f"{demo_site}/inbox/signals/new/")
    page.get_by_label("The customer's words").fill(
        "A customer asked whether we could rent her a bike locker by the shop."
    )
    page.get_by_role("button", name="Pass it on").click()
    expect(page.get_by_text("Signal passed on")).to_be_visible()
    _record(MORE_LOCKERS)
    page.goto(f"{demo_site}/sensing/")
    page.get_by_role("button", name="Recompute now").click()
    expect(page.get_by_role("link", name="Safe parking for bikes")).to_be_visible()
    page.get_by_role("link", name="Safe parking for bikes").click()
    assert page.url == group_url
    assert _size(page) > before

    # the group page fits a phone
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
