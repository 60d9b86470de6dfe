from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def broken_home(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("purposeful.home.views.organisation_get", explode)


def test_a_crash_shows_a_friendly_page_without_a_stack_trace(db, broken_home):
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"database on fire" not in response.content
    assert b"Traceback" not in response.content


def test_a_crash_in_the_api_is_json(db, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(
        "purposeful.organisation.api.services.organisation_get", explode
    )
    response = Client(raise_request_exception=False).get("/api/v1/organisation")
    assert response.status_code == 500
    assert response.json()["error"].startswith("Something went wrong")


def test_an_unreachable_database_gives_503_with_retry(db, monkeypatch):
    from django.db import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("purposeful.home.views.organisation_get", unreachable)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"try again in a few seconds" in response.content


def test_production_settings_pass_the_deploy_check(tmp_path):
    import os
    import subprocess
    import sys

    # Browser tests allow async-unsafe ORM calls in-process; a deployment never does.
    unset = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        PURPOSEFUL_DATA_DIR=str(tmp_path),
        PURPOSEFUL_SECURE="1",
        SECRET_KEY="k" * 20 + "x7#Qz!" * 10,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "purposeful",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
