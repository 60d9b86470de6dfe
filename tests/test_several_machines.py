"""Two app servers as on two machines: one database, one bucket, nothing else shared.

Each server has a data directory of its own, so a picture uploaded through one
can reach the other only through the object store (moto's S3 server over HTTP).
"""

from __future__ import annotations

import http.cookiejar
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from purposeful.cli import DEMO_PASSWORD

OFFER = "honest-repair-check"  # a Workshop offer of the demo; amara is in Workshop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(data_dir: Path, shared: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        and not k.startswith(("AWS_", "PURPOSEFUL_"))
    }
    return {**env, **shared, "PURPOSEFUL_DATA_DIR": str(data_dir)}


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: dict[str, str] = {}  # alt text -> src

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "img" and found.get("alt"):
            self.sources[found["alt"]] = found.get("src") or ""


class _Visitor:
    """A browser of one server: cookies, the CSRF token, forms and uploads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def _token(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def post(self, path: str, fields: dict[str, str], files=None) -> tuple[int, str]:
        fields = {**fields, "csrfmiddlewaretoken": self._token()}
        if files:
            boundary = uuid.uuid4().hex
            body = io.BytesIO()
            for name, value in fields.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                    f"\r\n\r\n{value}\r\n".encode()
                )
            for name, (filename, content, kind) in files.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
                    f' filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            body.write(f"--{boundary}--\r\n".encode())
            data = body.getvalue()
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            data = urllib.parse.urlencode(fields).encode()
            kind = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Content-Type": kind}
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, username: str) -> None:
        self.get("/accounts/login/")
        status, page = self.post(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert status == 200 and "Sign out" in page, page[:1000]

    def picture_url(self, alt: str) -> str | None:
        status, page = self.get(f"/offers/{OFFER}/canvas/")
        assert status == 200, page[:500]
        images = _Images()
        images.feed(page.decode())
        return images.sources.get(alt)


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "purposeful",
                "serve",
                "--no-worker",
                "--workers",
                "1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=out,
            start_new_session=True,
        )


def _wait_until_up(server: subprocess.Popen, port: int, log: Path) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            assert server.poll() is None, log.read_text()[-2000:]
            time.sleep(0.5)
    raise AssertionError(f"the server on {port} did not answer")


@pytest.fixture
def shared_database(tmp_path):
    """The one database of both servers: in the PostgreSQL pass of the suite a
    throwaway PostgreSQL cluster of its own, as production would run; otherwise
    one SQLite file outside both data directories."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import load

    cluster = load.Cluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def test_a_picture_uploaded_through_one_server_is_shown_by_another(
    tmp_path, s3_server, shared_database
):
    bucket = s3_server.new_bucket()
    shared = {
        **s3_server.environment(bucket),
        "DATABASE_URL": shared_database,
        "SECRET_KEY": "one key for every app server " + uuid.uuid4().hex,
    }
    first_dir, second_dir = tmp_path / "machine-1", tmp_path / "machine-2"
    loaded = subprocess.run(
        [sys.executable, "-m", "purposeful", "demo", "--no-serve"],
        env=_environment(first_dir, shared),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    ports = _free_port(), _free_port()
    servers = []
    try:
        for data_dir, port in zip((first_dir, second_dir), ports, strict=True):
            log = tmp_path / f"{data_dir.name}.log"
            servers.append(
                (_serve(_environment(data_dir, shared), port, log), port, log)
            )
        for server, port, log in servers:
            _wait_until_up(server, port, log)
        first = _Visitor(f"http://127.0.0.1:{ports[0]}")
        second = _Visitor(f"http://127.0.0.1:{ports[1]}")
        first.sign_in("amara")
        second.sign_in("amara")

        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, format="PNG")
        status, page = first.post(
            f"/offers/{OFFER}/pictures/",
            {"alt_text": "A red wheel on the truing stand"},
            files={"image": ("wheel.png", buffer.getvalue(), "image/png")},
        )
        assert status == 200 and "Picture added to the draft" in page, page[:2000]

        url = second.picture_url("A red wheel on the truing stand")
        assert url, "the second server lists the picture uploaded through the first"
        status, body = second.get(url)
        assert status == 200
        assert body.startswith(b"RIFF")
        assert body == first.get(url)[1]
        # a draft's picture, so a visitor of either server gets nothing
        assert _Visitor(second.base).get(url)[0] == 404
        # only the object store holds it: neither data directory has a copy
        assert any(key.endswith(".webp") for key in s3_server.objects(bucket))
        for data_dir in (first_dir, second_dir):
            assert not (data_dir / "media").exists()
            # nor a copy of the static files: they come from the shared cache
            assert not (data_dir / "static").exists()
    finally:
        for server, _, _ in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server, _, _ in servers:
            server.wait(timeout=30)
