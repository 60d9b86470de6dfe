from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def broken_home(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("purposeful.web.views.organisation_get", explode)


def test_a_crash_shows_a_friendly_page_without_a_stack_trace(db, broken_home):
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"database on fire" not in response.content
    assert b"Traceback" not in response.content


def test_a_crash_in_the_api_is_json(db, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("purposeful.organisation.api.services.organisation_get", explode)
    response = Client(raise_request_exception=False).get("/api/v1/organisation")
    assert response.status_code == 500
    assert response.json()["detail"].startswith("Something went wrong")
