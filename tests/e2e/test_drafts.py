"""Browser tests: words are never lost to an ended session or a stale form token."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

FIRST = "We keep every bicycle in our city riding for as long as it can."
MORE = " Bring your bike to the workshop and we repair it at a fair price."


def _end_every_session() -> None:
    # what the server does when a session's age is up; the browser keeps its cookie
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))


def _sign_in_here(page, username: str = "lena") -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("purposeful-demo")
    page.get_by_role("button", name="Sign in").click()


def test_an_ended_session_keeps_the_words_through_signing_in_again(
    signed_in, demo_site
):
    page = signed_in("lena")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{demo_site}/messages/new/")
    page.get_by_label("Title").fill("Keep riding")
    body = page.get_by_label("Message")
    body.fill(FIRST)
    status = page.locator(".draft-status")
    expect(status).to_contain_text("Your words are kept as a draft")

    _end_every_session()
    body.press("End")
    body.press_sequentially(MORE, delay=1)
    # the page says so while typing: nothing is thrown away
    expect(status).to_contain_text("You are signed out")
    page.get_by_role("button", name="Save draft").click()

    page.wait_for_url(f"{demo_site}/accounts/login/?next=*")
    expect(page.locator(".messages")).to_contain_text("Your words are kept")
    _sign_in_here(page)

    page.wait_for_url(f"{demo_site}/messages/new/")
    expect(page.locator(".draft-restored")).to_contain_text(
        "Restored your unsent words from"
    )
    expect(page.get_by_label("Message")).to_have_value(FIRST + MORE)
    expect(page.get_by_label("Title")).to_have_value("Keep riding")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Keep riding", level=1)).to_be_visible()

    # saved: the editor opens empty again
    page.goto(f"{demo_site}/messages/new/")
    expect(page.get_by_label("Message")).to_have_value("")
    expect(page.locator(".draft-restored")).to_have_count(0)
    # the signed-out 403 of a draft save is expected; no script error or CSP refusal
    assert [p for p in problems if not p.startswith("Failed to load resource")] == []


def test_a_stale_token_after_signing_in_elsewhere_keeps_the_words_to_send_again(
    signed_in, demo_site
):
    page = signed_in("lena")
    page.goto(f"{demo_site}/messages/new/")
    page.get_by_label("Title").fill("<b>Keep</b> riding")
    page.get_by_label("Message").fill(FIRST + MORE)

    # another tab signs out and in again: the first tab's form token is stale
    other = page.context.new_page()
    other.goto(f"{demo_site}/start/")
    other.get_by_role("button", name="Sign out").click()
    other.goto(f"{demo_site}/accounts/login/")
    _sign_in_here(other)
    other.wait_for_url(f"{demo_site}/start/")
    other.close()

    page.get_by_role("button", name="Save draft").click()
    expect(
        page.get_by_role("heading", name="This page was open too long")
    ).to_be_visible()
    expect(page.locator(".callout")).to_contain_text("Your words are kept")
    expect(page.get_by_label("Body")).to_have_value(FIRST + MORE)
    # shown as text, never as markup
    expect(page.get_by_label("Title")).to_have_value("<b>Keep</b> riding")
    send = page.get_by_role("button", name="Send again")
    send.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("<b>Keep</b> riding")
    expect(page.locator(".message-preview")).to_contain_text("fair price")
    page.goto(f"{demo_site}/messages/new/")
    expect(page.locator(".draft-restored")).to_have_count(0)


def test_the_editor_warns_before_the_session_ends_and_can_keep_it(signed_in, demo_site):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    page = signed_in("lena")
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=4))
    page.goto(f"{demo_site}/messages/new/")
    warning = page.locator(".session-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out in about")
    stay = page.get_by_role("button", name="Stay signed in")
    stay.focus()
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()
    assert Session.objects.get().expire_date > timezone.now() + timedelta(days=1)


def test_a_reply_to_a_customer_is_kept_while_typed_and_cleared_once_sent(
    signed_in, demo_site
):
    from purposeful.feedback.models import Signal
    from purposeful.organisation.models import Team

    signal = Signal.objects.create(
        team=Team.objects.get(name="Workshop"),
        kind="question",
        words="Do you repair hub gears?",
        source="public_form",
        sender_email="robin@example.org",
    )
    page = signed_in("lena")
    page.goto(f"{demo_site}/inbox/signals/{signal.pk}/")
    reply = page.get_by_label("Reply")
    reply.fill("Yes, we do: bring it on a Tuesday.")
    expect(page.locator(".draft-status")).to_contain_text("kept as a draft")

    page.reload()
    expect(page.locator(".draft-restored")).to_contain_text("Restored your unsent")
    expect(page.get_by_label("Reply")).to_have_value(
        "Yes, we do: bring it on a Tuesday."
    )
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator(".messages")).to_contain_text("Reply sent")
    expect(page.locator(".draft-restored")).to_have_count(0)
    expect(page.get_by_label("Reply")).to_have_value("")
