"""A member previews a CRM export with a bad row, fixes it, and imports it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

GOOD = (
    "First Name,Last Name,Email,Company Name\n"
    "Noor,Haddad,noor.haddad@example.org,Canal Street Bakery\n"
    "Jens,Ek,jens.ek@example.org,Canal Street Bakery\n"
)


@pytest.fixture
def tasks_at_once(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def _upload(page, text, name):
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_label("Team the customers belong to").select_option(label="Workshop")
    page.get_by_role("button", name="Check the file").click()


def test_bad_row_is_shown_then_the_fixed_file_imports(
    signed_in, demo_site, tasks_at_once
):
    page = signed_in("amara")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.get_by_role("link", name="Import and export").click()
    _upload(page, GOOD + "Ida,Moe,not-an-address,Canal Street Bakery\n", "crm.csv")
    expect(
        page.get_by_text("“not-an-address” is not an e-mail address.")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("Nothing will be imported"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)

    page.get_by_role("link", name="Import and export").click()
    _upload(page, GOOD, "crm-fixed.csv")
    page.get_by_role("button", name="Import 2 contacts and 1 customer").click()
    expect(page.get_by_text(re.compile("2 contacts added"))).to_be_visible()
    page.get_by_role("link", name="See the customers").click()
    expect(page.get_by_role("link", name="Canal Street Bakery")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
