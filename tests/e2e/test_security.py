"""XSS and injection attempts in every text field a member writes render inert.

Signed in as a Workshop member of the demo organisation, the browser fills
every text field of every form a member can write — purpose, team, role, ally,
offer canvas, customer, contact, conversation, signal, reply, target, check-in,
comment, message, and the public "write to us" form — with each payload in
turn, submits it through the page (every submission must be saved, so every
payload really is stored), then visits the page it lands on and every page that
lists or shows those records — the offers published, with their public pages
and JSON-LD. Nothing may execute: no dialog opens,
no injected element or inline script is in the DOM, the Content-Security-Policy
reports nothing, and the words are shown as text.
"""

from __future__ import annotations

import re

import pytest

# Each payload is tried in every text field of every form below.
PAYLOADS = [
    '<script>alert("xss-script")</script>',
    '"><img src=x onerror=alert("xss-img")>',
    "javascript:alert('xss-js')",
    "{{ 7|add:42 }}{% debug %}${7*7}",
    "'; DROP TABLE people_member; -- \" OR 1=1",
    '<svg/onload=alert("xss-svg")><a href="javascript:alert(1)">x</a>',
    '[click me](javascript:alert("xss-md")) <iframe src="javascript:alert(1)">',
]

TEXT_FIELDS = (
    "input[type=text]:visible, input:not([type]):visible, textarea:visible, "
    "input[type=search]:visible"
)

# Forms by where they are and which form on the page (None: the main one).
FORMS = [
    ("purpose", "/purpose/edit/", None),
    ("team", "/teams/new/", None),
    ("role", "/teams/workshop/roles/new/", None),
    ("ally", "/allies/new/", None),
    ("offer canvas", "/offers/new/", None),
    ("customer", "/customers/new/", None),
    ("contact", "/customers/{account}/contacts/new/", None),
    ("conversation", "/customers/{account}/", "form[action$='/conversations/']"),
    ("signal", "/inbox/signals/new/", None),
    ("reply", "/inbox/signals/{signal}/", "form[action$='/reply/']"),
    ("target", "/targets/new/", None),
    ("check-in", "/targets/{target}/", "form[action$='/check-ins/']"),
    ("comment", "/targets/{target}/", "form[action$='/comments/']"),
    ("message", "/messages/new/", None),
    ("write to us", "/write-to-us/", None),
]

PAGES = [
    "/",
    "/start/",
    "/purpose/",
    "/purpose/history/",
    "/teams/",
    "/teams/workshop/",
    "/allies/",
    "/offers/ours/",
    "/customers/",
    "/customers/{account}/",
    "/inbox/",
    "/inbox/workshop/",
    "/inbox/search/?q=xss",
    "/inbox/signals/{signal}/",
    "/targets/",
    "/targets/{target}/",
    "/messages/",
    "/dashboard/",
    "/audit/",
]


def _records():
    from purposeful.feedback.models import Signal
    from purposeful.organisation.models import Team
    from purposeful.relationships.models import Account
    from purposeful.targets.models import Target

    workshop = Team.objects.get(slug="workshop")
    return {
        "account": Account.objects.filter(team=workshop).order_by("pk").first().pk,
        "signal": Signal.objects.filter(team=workshop).order_by("pk").first().pk,
        "target": Target.objects.filter(team=workshop).order_by("pk").first().pk,
    }


def _published_offer_pages() -> list[str]:
    """Publish the offers written with payloads; their public pages (with JSON-LD) too."""
    from purposeful.offers import services
    from purposeful.offers.models import Offer
    from purposeful.people.models import Member

    lena = Member.objects.get(username="lena")
    paths = ["/offers/"]
    for offer in Offer.objects.filter(versions__name__contains=" #").distinct():
        services.offer_publish(actor=lena, offer=offer)
        paths.append(offer.get_absolute_url())
    assert len(paths) == 1 + len(PAYLOADS), paths
    return paths


def _fill(form, payload: str, n: int) -> int:
    """Fill every field a person types into; returns how many text fields got it."""
    filled = 0
    for field in form.locator(TEXT_FIELDS).all():
        name = field.get_attribute("name") or ""
        if field.evaluate("el => el.closest('.date-parts') !== null"):
            continue  # a part of a date, filled below
        if name in ("website",) and field.get_attribute("tabindex") == "-1":
            continue  # the honeypot stays empty, as a person leaves it
        if name == "currency":
            field.fill("EUR")
            continue
        if name == "price" or field.get_attribute("inputmode") in (
            "decimal",
            "numeric",
        ):
            field.fill("15")
            continue
        maxlength = int(field.get_attribute("maxlength") or 10000)
        value = f"{payload} #{n}"
        if name == "price_breakdown":
            value += ": 15"  # its lines read "what it pays for: amount"
        elif name == "tags":
            value = f"{payload[:45]} #{n}"  # a tag is at most 60 characters
        field.fill(value[:maxlength])
        filled += 1
    for field in form.locator("input[type=email]:visible").all():
        field.fill(f"xss{n}@example.org")
    for field in form.locator("input[type=url]:visible").all():
        field.fill(f"https://example.org/{n}")
    for field in form.locator("input[type=number]:visible").all():
        field.fill("5")
    for select in form.locator("select:visible").all():
        if not select.input_value():
            values = [
                o.get_attribute("value")
                for o in select.locator("option").all()
                if o.get_attribute("value")
            ]
            if values:
                select.select_option(values[0])
    for radio in form.locator("input[type=radio]:visible").all():
        group = radio.get_attribute("name")
        if not form.locator(f"input[type=radio][name='{group}']:checked").count():
            radio.check()
    dates = form.locator("input[type=date]:visible").all()

    for i, field in enumerate(dates):
        field.fill("2026-01-01" if i % 2 == 0 else "2026-12-31")
    # day, month and year boxes (and a time) take a date, as a person types one;
    # a period's second date comes after its first
    for i, group in enumerate(form.locator(".date-parts:visible").all()):
        day, month = ("1", "1") if i % 2 == 0 else ("31", "12")
        for suffix, value in (
            ("day", day),
            ("month", month),
            ("year", "2026"),
            ("time", "14:30"),
        ):
            box = group.locator(f"input[name$='_{suffix}']")
            if box.count():
                box.fill(value)
    return filled


def _assert_inert(page, where: str) -> None:
    injected = page.locator(
        "img[src='x'], svg[onload], iframe, a[href^='javascript'], "
        "script:not([src]):not([type='application/ld+json'])"
    )
    assert injected.count() == 0, f"injected markup is live on {where}"


@pytest.mark.django_db(transaction=True)
def test_injection_payloads_in_every_member_field_render_inert(
    signed_in, demo_site, settings
):
    settings.FEEDBACK_MIN_SECONDS = 0
    settings.FEEDBACK_RATE_LIMIT = (10_000, 3600)
    page = signed_in("lena")
    dialogs: list[str] = []
    csp: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on(
        "console",
        lambda m: (
            csp.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    ids = _records()
    tried: dict[str, int] = {}
    saved: dict[str, int] = {}
    refused: list = []
    shown_as_text = 0
    n = 0
    for label, path, selector in FORMS:
        tried[label] = 0
        saved[label] = 0
        for payload in PAYLOADS:
            n += 1
            page.goto(demo_site + path.format(**ids))
            # Forms folded away in <details> are opened, as a person would.
            page.evaluate(
                "document.querySelectorAll('details').forEach(d => d.open = true)"
            )
            form = page.locator(selector or "main form[method=post]").filter(
                has=page.locator(TEXT_FIELDS)
            )
            form = form.last if selector is None else form.first
            assert _fill(form, payload, n) > 0, f"no text field in the {label} form"
            tried[label] += 1
            with page.expect_navigation():
                form.locator("button[type=submit], button:not([type])").last.click()
            _assert_inert(page, f"{label} result page")
            problems = page.locator(".errors:visible, .error:visible").all_inner_texts()
            if problems:
                refused.append((label, n, problems[:2]))
            else:
                saved[label] += 1
            html = page.content()
            if f"#{n}" in page.inner_text("body"):
                shown_as_text += 1
                assert re.search(r"<script>alert|<img src=\"?x", html) is None
    assert not refused, f"a form refused a payload, so it was not tried: {refused[:3]}"
    for path in PAGES + _published_offer_pages():
        page.goto(demo_site + path.format(**ids))
        _assert_inert(page, path)
    assert not dialogs, f"a payload executed: {dialogs}"
    assert not csp, f"the CSP blocked something injected: {csp[:3]}"
    assert all(count == len(PAYLOADS) for count in saved.values()), saved
    # Every submission is saved and lands on a page that shows the words back as text.
    assert shown_as_text == len(FORMS) * len(PAYLOADS), shown_as_text
    print(
        f"{len(PAYLOADS)} payloads × {len(FORMS)} forms "
        f"({sum(tried.values())} submissions); shown back as text {shown_as_text}"
    )
