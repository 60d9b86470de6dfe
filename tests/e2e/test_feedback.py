"""Closing the loop in a real browser: a customer writes, the team answers, the
customer reads the answer at their private link; another team cannot triage."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

# The time trap refuses anything faster than this; a person takes longer, and
# so does this test.
PAST_THE_TIME_TRAP_MS = 3200


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _write(page, message: str, *, name: str = "Robin Keller") -> str:
    page.get_by_label("What is it about?").select_option("question")
    page.get_by_label("Your message").fill(message)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your e-mail").fill("robin.keller@mail.example")
    page.wait_for_timeout(PAST_THE_TIME_TRAP_MS)
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(r"/feedback/[\w-]{40,}/$"))
    expect(page.get_by_text("your message is with the team")).to_be_visible()
    return page.url


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_customer_writes_about_an_offer_and_the_owning_team_closes_the_loop(
    page, signed_in, demo_site
):
    # An anonymous customer reads an offer and writes to the team behind it.
    page.goto(f"{demo_site}/offers/evening-repair-course/")
    page.get_by_role("link", name="Write to the team").click()
    expect(page.get_by_text("your message goes to Learning Lab")).to_be_visible()
    message = "Is there a morning version of the evening repair course?"
    follow_url = _write(page, message)
    expect(page.locator("dl.facts")).to_contain_text("New")
    expect(page.locator("dl.facts")).to_contain_text("Learning Lab")

    # Lena is in Workshop: she reads Learning Lab's inbox but cannot triage it.
    signed_in("lena")
    page.goto(f"{demo_site}/inbox/learning-lab/")
    page.get_by_role("link", name=message).click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Question #\d+"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
    expect(page.get_by_role("button", name="Send the reply")).to_have_count(0)
    signal_url = page.url
    _sign_out(page)

    # Noor, Learning Lab's customer link, acknowledges and replies.
    signed_in("noor")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Inbox"
    ).click()
    page.get_by_role("link", name="Learning Lab").first.click()
    page.get_by_role("link", name=message).click()
    assert page.url == signal_url
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("is now acknowledged")).to_be_visible()
    page.get_by_label("Reply to the customer").fill(
        "Yes: from March we run it on Saturday mornings too. See you there!"
    )
    page.get_by_role("button", name="Send the reply").click()
    expect(page.get_by_text("Reply sent")).to_be_visible()
    _sign_out(page)

    # The customer's private link shows the reply and the new state.
    page.goto(follow_url)
    expect(page.locator("dl.facts")).to_contain_text("Acknowledged")
    expect(page.locator("article.reply")).to_contain_text("Saturday mornings")


def test_general_message_goes_to_the_chosen_team(page, signed_in, demo_site):
    page.goto(f"{demo_site}/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Write to us"
    ).click()
    _write(page, "My wheel wobbles since the last repair, can you look again?")
    expect(page.locator("dl.facts")).to_contain_text("Workshop")

    signed_in("lena")
    expect(page.get_by_text(re.compile(r"\d+ new in Workshop's inbox"))).to_be_visible()
    page.get_by_role("link", name=re.compile(r"new in Workshop's inbox")).click()
    expect(
        page.get_by_role("link", name=re.compile("My wheel wobbles since the last"))
    ).to_be_visible()


def test_submitting_faster_than_a_person_is_refused_but_keeps_the_text(page, demo_site):
    page.goto(f"{demo_site}/write-to-us/")
    page.get_by_label("Your message").fill("Too quick to be a person")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("very quick")
    expect(page.get_by_label("Your message")).to_have_value("Too quick to be a person")
    # Waiting like a person would, the same page now goes through.
    page.wait_for_timeout(PAST_THE_TIME_TRAP_MS)
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(r"/feedback/[\w-]{40,}/$"))


def test_customer_page_shows_the_team_and_its_customer_link(page, signed_in, demo_site):
    signed_in("mei")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Customers"
    ).click()
    page.get_by_label("Search customers").fill("Harbour")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Harbour Logistics").click()
    expect(page.locator(".callout", has_text="People to talk to")).to_contain_text(
        "Mei Chen"
    )
    expect(page.get_by_role("heading", name="Hand-over proposed")).to_be_visible()
    expect(page.locator(".timeline")).to_be_visible()
