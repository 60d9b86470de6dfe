"""Take the screenshots the guides use, from the demo organisation.

    .venv/bin/python docs/screenshots.py [--out docs]

Starts ``purposeful demo`` in a temporary data directory on a free loopback port,
drives the system's Chromium (never a downloaded one) and writes optimised PNGs:
``screenshot.png`` (the README's) and ``images/*.png`` (the guides'). Run it again
when a page they show changes, so the pictures stay current.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"screenshots: the demo exited with status {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"screenshots: the demo did not answer at {url}")


def save(png: bytes, path: Path) -> None:
    """Store a screenshot with at most 256 colours: a fraction of the size, same look."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    print(f"{path}  {path.stat().st_size // 1024} KB")


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("purposeful-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/start/")


def first_link(page: Page, pattern: str) -> str:
    hrefs = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return next(h for h in hrefs if re.fullmatch(pattern, h))


def most_charted_target(page: Page, base: str) -> str:
    """The target whose chart has the most check-ins: the one that shows a line."""
    hrefs = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    counted = {}
    for href in dict.fromkeys(h for h in hrefs if re.fullmatch(r"/targets/\d+/", h)):
        page.goto(base + href)
        counted[href] = page.locator("svg circle.dot").count()
    return max(counted, key=counted.get)


def take(base: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport=DESKTOP)
        page.goto(f"{base}/")
        save(page.screenshot(), out / "screenshot.png")

        sign_in(page, base, "lena")
        page.goto(f"{base}/inbox/")
        page.goto(base + first_link(page, r"/inbox/(?!search/)[\w-]+/"))
        save(page.screenshot(), out / "images" / "inbox.png")

        page.goto(f"{base}/offers/")
        page.goto(base + first_link(page, r"/offers/[\w-]+/"))
        save(page.screenshot(), out / "images" / "offer.png")

        page.goto(f"{base}/messages/")
        page.goto(base + first_link(page, r"/messages/\d+/"))
        save(page.screenshot(), out / "images" / "message.png")

        page.goto(f"{base}/targets/")
        page.goto(base + most_charted_target(page, base))
        page.locator("#check-ins-heading").scroll_into_view_if_needed()
        save(page.screenshot(), out / "images" / "target.png")

        phone = browser.new_page(viewport=PHONE)
        sign_in(phone, base, "lena")
        phone.get_by_text("Menu", exact=True).click()
        save(phone.screenshot(), out / "images" / "phone-menu.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"screenshots: {CHROMIUM} is not installed (Debian's chromium)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="purposeful-shots-") as data:
        env = {**os.environ, "PURPOSEFUL_DATA_DIR": data}
        server = subprocess.Popen(
            [sys.executable, "-m", "purposeful", "demo", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/", server)
            take(base, args.out)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
