"""Pages and API of webhooks: every role × every action, and what stewards see."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.webhooks import services
from purposeful.webhooks.models import Delivery, Endpoint


def _fields(response) -> list:
    """The fields an API error names."""
    return [problem["field"] for problem in response.json()["detail"]]


ROLES = ["anonymous", "owner", "outsider", "steward_in_team", "steward"]
STEWARD = {"steward", "steward_in_team"}


def _client(cast, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(cast.by_role(role))
    return client


@pytest.fixture
def endpoint(cast):
    return services.endpoint_create(
        actor=cast.steward,
        url="https://hooks.example.org/in",
        events=["offer.published"],
        description="Bike kitchen board",
    )


PAGES = [
    ("get", "/webhooks/", None),
    ("get", "/webhooks/new/", None),
    (
        "post",
        "/webhooks/new/",
        {"url": "https://a.example.org/", "events": ["signal.created"]},
    ),
    ("get", "/webhooks/{pk}/", None),
    ("get", "/webhooks/{pk}/edit/", None),
    (
        "post",
        "/webhooks/{pk}/edit/",
        {"url": "https://b.example.org/", "events": ["signal.created"]},
    ),
    ("post", "/webhooks/{pk}/enable/", {}),
    ("post", "/webhooks/{pk}/ping/", {}),
    ("post", "/webhooks/{pk}/delete/", {}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data"), PAGES, ids=lambda v: str(v))
def test_webhook_pages_are_for_stewards_only(cast, endpoint, role, method, path, data):
    response = getattr(_client(cast, role), method)(path.format(pk=endpoint.pk), data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role in STEWARD:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
    if role not in STEWARD:
        endpoint.refresh_from_db()
        assert endpoint.url == "https://hooks.example.org/in"
        assert Endpoint.objects.count() == 1


def test_steward_registers_an_endpoint_through_the_form(cast):
    response = _client(cast, "steward").post(
        "/webhooks/new/",
        {
            "url": "https://hooks.example.org/in",
            "events": ["signal.created", "offer.published"],
            "description": "Board",
        },
    )
    endpoint = Endpoint.objects.get()
    assert response["Location"] == f"/webhooks/{endpoint.pk}/"
    assert endpoint.events == ["signal.created", "offer.published"]


def test_refused_address_rerenders_the_form_with_what_was_typed(cast, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    response = _client(cast, "steward").post(
        "/webhooks/new/",
        {
            "url": "http://169.254.169.254/",
            "events": ["signal.created"],
            "description": "Metadata",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot go to private" in body
    assert 'value="Metadata"' in body
    assert not Endpoint.objects.exists()


def test_switched_off_endpoint_shows_a_notice(cast, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False,
        disabled_reason="Switched off after 10 failed deliveries in a row.",
    )
    client = _client(cast, "steward")
    listing = client.get("/webhooks/").content.decode()
    assert "Bike kitchen board is switched off." in listing
    detail = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "Switch on again" in detail


def test_delivery_log_shows_status_and_response(cast, endpoint):
    Delivery.objects.create(
        endpoint=endpoint,
        event_id="6f1f3a2e-8c36-4c55-9e67-0b7f4f8f1c11",
        event="offer.published",
        body="{}",
        status_code=500,
        response_body="<script>alert(1)</script>",
    )
    body = _client(cast, "steward").get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "Refused (500)" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize("role", ROLES)
def test_webhook_api_is_for_stewards_only(cast, api, endpoint, role):
    client = api(None if role == "anonymous" else cast.by_role(role))
    expected = {"anonymous": 401}.get(role, 200 if role in STEWARD else 403)
    created = 201 if role in STEWARD else expected
    assert client.get("/webhooks").status_code == expected
    assert client.get(f"/webhooks/{endpoint.pk}").status_code == expected
    assert client.get(f"/webhooks/{endpoint.pk}/deliveries").status_code == expected
    assert (
        client.post(
            "/webhooks", {"url": "https://c.example.org/", "events": ["signal.created"]}
        ).status_code
        == created
    )
    assert (
        client.patch(f"/webhooks/{endpoint.pk}", {"description": "x"}).status_code
        == expected
    )
    assert client.post(f"/webhooks/{endpoint.pk}/ping").status_code == (
        202 if role in STEWARD else expected
    )
    assert client.delete(f"/webhooks/{endpoint.pk}").status_code == (
        204 if role in STEWARD else expected
    )
    if role not in STEWARD:
        assert Endpoint.objects.count() == 1


def test_api_refuses_a_private_address_with_400(cast, api, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    response = api(cast.steward).post(
        "/webhooks", {"url": "http://10.1.2.3/hook", "events": ["signal.created"]}
    )
    assert response.status_code == 400
    assert "url" in _fields(response)


def test_api_returns_the_secret_to_the_steward_who_registers(cast, api):
    response = api(cast.steward).post(
        "/webhooks",
        {
            "url": "https://c.example.org/",
            "events": ["signal.created"],
            "secret": "our-own-secret-123",
        },
    )
    assert response.status_code == 201
    assert response.json()["secret"] == "our-own-secret-123"


def test_stewards_start_page_names_endpoints_switched_off_by_failure(cast, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, consecutive_failures=10
    )
    page = _client(cast, "steward").get("/start/").content.decode()
    assert "Webhooks switched off after failing" in page
    assert "Bike kitchen board" in page
    other = _client(cast, "owner").get("/start/").content.decode()
    assert "Webhooks switched off" not in other
