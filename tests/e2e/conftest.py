"""Browser tests: real Chromium from the system, driven by Playwright.

Never downloads a browser. Without /usr/bin/chromium the tests are skipped,
unless PURPOSEFUL_REQUIRE_BROWSER is set (CI), where that is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make for set-up are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists():
        return
    if os.environ.get("PURPOSEFUL_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            f"browser tests need {CHROMIUM}; install Debian's chromium"
        )
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed")
    for item in items:
        if "e2e" in item.nodeid.split("/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The demo organisation behind a live server; returns its base URL."""
    from purposeful import demo

    demo.load(password="purposeful-demo")
    return live_server.url


@pytest.fixture
def signed_in(page, demo_site):
    """A page signed in as the demo member Lena (Workshop team)."""

    def sign_in(username: str = "lena"):
        page.goto(f"{demo_site}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("purposeful-demo")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{demo_site}/start/")
        return page

    return sign_in
