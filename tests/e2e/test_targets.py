"""A member sets a target, reflects on it twice, sees the chart, and lets it go."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_member_sets_target_checks_in_twice_and_lets_it_go(signed_in, demo_site):
    page = signed_in("lena")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Targets"
    ).click()
    expect(page.get_by_role("heading", name="Targets", level=1)).to_be_visible()
    # every team side by side, as the teams wrote their targets
    for team in ["Learning Lab", "Mobile Repair", "Refurbish & Rent", "Workshop"]:
        expect(page.get_by_role("heading", name=team, level=2)).to_be_visible()

    page.get_by_role("link", name="Set a target").click()
    expect(page.get_by_label("Team")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("What we want to reach").fill(
        "Rebuild 40 wheels instead of replacing them"
    )
    page.get_by_label("How it serves the purpose").fill(
        "A rebuilt wheel keeps a bike riding for years."
    )
    page.get_by_label("Unit (optional)").fill("wheels")
    page.get_by_label("Number (optional)").fill("40")
    # day, month, year: the same order in every browser, whatever its locale
    for legend, (day, month, year) in (
        ("From", ("1", "1", "2026")),
        ("Until", ("31", "12", "2026")),
    ):
        period = page.get_by_role("group", name=legend)
        period.get_by_label("Day").fill(day)
        period.get_by_label("Month").fill(month)
        period.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Set the target").click()
    expect(
        page.get_by_role("heading", name="Rebuild 40 wheels", level=1)
    ).to_be_visible()
    expect(page.get_by_text("No check-ins yet.")).to_be_visible()

    for value, learned, sensed in [
        (
            "12",
            "Tuesday mornings are quiet enough for rebuilds.",
            "Customers like waiting a day for a cheaper wheel.",
        ),
        (
            "19",
            "Second-hand rims from the rescue shelf work well.",
            "Learners want a wheel-building course.",
        ),
    ]:
        page.get_by_label(re.compile(r"Where we are now")).fill(value)
        page.get_by_label("What we learned").fill(learned)
        page.get_by_label("What we sense").fill(sensed)
        page.get_by_label("Yes, it still makes sense").check()
        page.get_by_role("button", name="Record the check-in").click()
        expect(page.get_by_text("Check-in recorded.")).to_be_visible()

    chart = page.get_by_role("img", name=re.compile("Check-in values of"))
    expect(chart).to_be_visible()
    expect(chart.locator("circle.dot")).to_have_count(2)
    table = page.locator("table.check-ins")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Second-hand rims from the rescue shelf work well.")
    expect(table).to_contain_text("19")

    page.get_by_role("link", name="Let it go").click()
    page.get_by_label("Why we let it go").fill(
        "The cargo-bike boom means people need Cargo Collective more than wheel rebuilds."
    )
    page.get_by_role("button", name="Let it go").click()
    closing = page.get_by_role("note")
    expect(closing).to_contain_text("Let go")
    expect(closing).to_contain_text("people need Cargo Collective more")
    expect(page.get_by_role("button", name="Record the check-in")).to_have_count(0)


def test_other_team_member_reads_and_comments_but_cannot_change(signed_in, demo_site):
    page = signed_in("sam")  # Learning Lab
    page.goto(f"{demo_site}/targets/")
    page.get_by_role("link", name="Repair rather than replace in 8 of 10 jobs").click()
    expect(page.get_by_role("link", name="Change")).to_have_count(0)
    expect(page.get_by_role("button", name="Record the check-in")).to_have_count(0)
    page.get_by_label("Your comment").fill("Could we film a rebuild for our course?")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.locator(".comment").last).to_contain_text("Could we film a rebuild")


def test_dashboard_renders_charts_from_the_demo_with_tables(signed_in, demo_site):
    page = signed_in("amara")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Dashboard"
    ).click()
    expect(page.get_by_role("heading", name="Purpose dashboard")).to_be_visible()
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 1
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Published offers")
    )
    section.get_by_text("The numbers as a table").click()
    expect(section.get_by_role("table")).to_be_visible()
    expect(
        section.get_by_role("link", name=re.compile("Download as CSV"))
    ).to_be_visible()


def test_targets_page_works_on_a_phone(signed_in, demo_site):
    page = signed_in("lena")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(demo_site + "/targets/")
    detail = page.get_by_role("link", name="Repair rather than replace in 8 of 10 jobs")
    paths = ["/targets/", detail.get_attribute("href"), "/dashboard/"]
    for path in paths:
        page.goto(demo_site + path)
        no_overflow = page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        assert no_overflow, path


def test_checking_in_works_by_keyboard(signed_in, demo_site):
    page = signed_in("lena")
    page.goto(demo_site + "/targets/")
    page.get_by_role("link", name="Repair rather than replace in 8 of 10 jobs").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Repair rather than replace", level=1)
    ).to_be_visible()
    page.get_by_label(re.compile(r"Where we are now")).focus()
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.type("Every wheel this week was saved.")
    page.keyboard.press("Tab")
    page.keyboard.type("Nothing new.")
    page.keyboard.press("Tab")  # the radio group, on "yes"
    focused = page.evaluate("document.activeElement.value")
    assert focused == "yes"
    page.get_by_role("button", name="Record the check-in").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Check-in recorded.")).to_be_visible()
    expect(page.locator("table.check-ins")).to_contain_text(
        "Every wheel this week was saved."
    )
