"""Every error of the API comes in one shape: ``{"error": "…", "detail": [...]}``."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.organisation.models import Role


def _shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["detail"], list)
    for problem in body["detail"]:
        assert set(problem) == {"field", "message"}
    return body


def test_a_value_of_the_wrong_type_is_400_naming_the_field(cast, api):
    body = _shape(api(cast.owner).post("/accounts", {"name": 5, "team": "x"}), 400)
    assert {p["field"] for p in body["detail"]} == {"name", "team"}
    assert body["error"].startswith(body["detail"][0]["field"])


def test_a_query_out_of_range_is_400_naming_the_parameter(cast, api):
    body = _shape(api(cast.owner).get("/accounts?limit=0"), 400)
    assert [p["field"] for p in body["detail"]] == ["limit"]


def test_a_rule_of_the_app_is_400_in_the_same_shape(cast, api):
    body = _shape(
        api(cast.owner).post(
            f"/accounts/{cast.account.pk}/contacts",
            {"name": "Ada", "email": "not an address"},
        ),
        400,
    )
    assert [p["field"] for p in body["detail"]] == ["email"]


def test_a_body_that_is_not_json_is_400_saying_so(cast, api):
    response = api(cast.owner).client.post(
        "/api/v1/accounts",
        data="{not json",
        content_type="application/json",
        headers=api(cast.owner).headers,
    )
    body = _shape(response, 400)
    assert body == {"error": "The request body is not valid JSON.", "detail": []}


def test_no_token_is_401_saying_how_to_send_one(db):
    body = _shape(Client().get("/api/v1/accounts"), 401)
    assert "Authorization: Bearer" in body["error"]


def test_a_refusal_is_403_with_the_reason(cast, api):
    role = Role.objects.create(team=cast.team, name="Buyer")
    body = _shape(api(cast.outsider).delete(f"/roles/{role.pk}"), 403)
    assert body["error"] == "Only members of Workshop can change its roles."


@pytest.mark.parametrize("path", ["/accounts/999999", "/no-such-collection"])
def test_nothing_there_is_404(cast, api, path):
    _shape(api(cast.owner).get(path), 404)


def test_an_edit_conflict_is_409_with_the_current_version(cast, api):
    from tests.outreach.factories import message

    made = message(cast.team, cast.owner)
    response = api(cast.owner).patch(
        f"/messages/{made.pk}", {"title": "New", "version": "stale"}
    )
    assert response.status_code == 409, response.content
    body = response.json()
    assert set(body) == {"error", "detail", "version"}
    assert body["detail"] == []
