"""A steward registers a webhook endpoint by keyboard, and sees it in the list."""

from __future__ import annotations

import re

import pytest


@pytest.mark.django_db(transaction=True)
def test_steward_registers_an_endpoint_with_the_keyboard(signed_in, demo_site):
    page = signed_in("amara")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{demo_site}/webhooks/")
    assert page.get_by_text("Bookkeeping sync is switched off.").is_visible()
    page.get_by_role("link", name="Add an endpoint").click()
    page.get_by_label("URL").fill("https://hooks.example.org/purposeful")
    page.get_by_label("Description").fill("Shop screen")
    page.get_by_label("An offer is published").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/webhooks/\d+/$"))
    assert page.get_by_role("heading", name="Shop screen").is_visible()
    assert page.get_by_text("The endpoint is registered.").is_visible()
    assert not errors


@pytest.mark.django_db(transaction=True)
def test_members_who_are_not_stewards_are_refused(signed_in, demo_site):
    page = signed_in("lena")
    response = page.goto(f"{demo_site}/webhooks/")
    assert response.status == 403
    assert not page.get_by_role("link", name="Webhooks").count()
