"""The terminal of ``purposeful serve`` shows its banner, warnings and real errors.

A member opening a page they may not change saw a clean "Not allowed" page
while the terminal printed a twenty-line traceback; every background task
printed lines; every e-mail was printed in full; Ctrl+C printed "Received
Terminated". This runs the real server, as a newcomer would, and reads what it
prints.
"""

from __future__ import annotations

import http.cookiejar
import logging
import mailbox
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from purposeful.core.logs import QuietFilter

SETUP = """
from purposeful.organisation.models import Organisation, Team
from purposeful.people.models import Member
Organisation.objects.get_or_create(pk=1, defaults={"name": "Test Cooperative"})
Team.objects.create(name="Workshop", slug="workshop")
member = Member(username="sam", email="sam@example.org")
member.set_password("a long enough password")
member.save()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_HOST")
        and not k.startswith("PURPOSEFUL_")
    }
    env["PURPOSEFUL_DATA_DIR"] = str(data_dir)
    env["PURPOSEFUL_FEEDBACK_MIN_SECONDS"] = "0"
    return env


class _Browser:
    """Just enough of a browser: cookies, and the CSRF token of the last form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, path: str, fields: dict[str, str]) -> int:
        _, page = self.get(path)
        hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
        data = urllib.parse.urlencode({**hidden, **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def _wait_until(condition, timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _outbox_subjects(path: Path) -> list[str]:
    if not path.exists():
        return []
    box = mailbox.mbox(path)
    try:
        return [str(message["Subject"]) for message in box]
    finally:
        box.close()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=str)
def test_serve_prints_no_traceback_and_stops_in_one_line(tmp_path, stop):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "purposeful", "manage", "migrate", "-v0"],
        env=env,
        check=True,
        timeout=180,
    )
    subprocess.run(
        [sys.executable, "-m", "purposeful", "manage", "shell", "-c", SETUP],
        env=env,
        check=True,
        timeout=120,
    )
    port = _free_port()
    output = tmp_path / "terminal.txt"
    with output.open("w") as terminal:
        # a session of its own: Ctrl+C reaches the whole group, as in a terminal
        server = subprocess.Popen(
            [sys.executable, "-m", "purposeful", "serve", "--port", str(port)],
            env=env,
            stdout=terminal,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        browser = _Browser(base)
        assert _wait_until(lambda: _reachable(base)), output.read_text()
        assert browser.submit(
            "/accounts/login/",
            {"username": "sam", "password": "a long enough password"},
        ) in (200, 302)
        assert browser.get("/start/")[0] == 200
        # refused, missing, wrong method: answers to the visitor, not errors
        assert browser.get("/invitations/")[0] == 403
        assert browser.get("/no-such-page/")[0] == 404
        # a customer writes in: the task worker e-mails their private link
        assert _Browser(base).submit(
            "/write-to-us/",
            {"kind": "issue", "words": "Open on Sundays?", "email": "r@example.net"},
        ) in (200, 302)
        outbox = tmp_path / "outbox.mbox"
        assert _wait_until(lambda: _outbox_subjects(outbox)), output.read_text()
    finally:
        os.killpg(server.pid, stop)
        server.wait(timeout=60)
    printed = output.read_text()
    lines = printed.strip().splitlines()
    assert "Traceback" not in printed, printed
    assert "Forbidden" not in printed and "Not Found" not in printed, printed
    assert "Received" not in printed and "Task id" not in printed, printed
    assert "Open on Sundays" not in printed  # e-mails are not printed
    assert lines[0] == f"Purposeful is running at {base}/  (Ctrl+C stops it)"
    assert f"{base}/outbox/" in printed and str(outbox) in printed
    assert lines[-1] == "Purposeful stopped.", printed
    assert len(lines) == 4, printed
    assert server.returncode == 0


def _reachable(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/", timeout=5):
            return True
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.parametrize(
    ("name", "level", "status", "shown"),
    [
        ("django.request", logging.WARNING, 403, False),
        ("django.request", logging.WARNING, 404, False),
        ("django.request", logging.ERROR, 500, True),
        ("django_tasks_db", logging.INFO, None, False),
        ("django_tasks", logging.INFO, None, False),
        ("django_tasks_db", logging.ERROR, None, True),
        ("purposeful.server", logging.WARNING, None, True),
    ],
)
def test_the_terminal_filter_keeps_real_errors_only(name, level, status, shown):
    record = logging.LogRecord(name, level, __file__, 1, "message", None, None)
    if status is not None:
        record.status_code = status
    assert QuietFilter().filter(record) is shown


def test_a_suspicious_request_is_one_line_without_its_traceback():
    try:
        raise ValueError("Invalid HTTP_HOST header: 'evil.example'")
    except ValueError:
        record = logging.LogRecord(
            "django.security.DisallowedHost",
            logging.ERROR,
            __file__,
            1,
            "Invalid HTTP_HOST header: 'evil.example'",
            None,
            sys.exc_info(),
        )
    assert QuietFilter().filter(record) is True
    assert "Traceback" not in logging.Formatter().format(record)
