from __future__ import annotations

from django.test import Client

from purposeful.people.models import ApiToken, Member
from tests.api_shapes import output_schema


def test_me_names_the_member_and_their_teams(cast, api):
    data = api(cast.owner).get("/me").json()
    assert data["username"] == "owner"
    assert [team["slug"] for team in data["teams"]] == ["workshop"]


def test_missing_or_wrong_token_is_401_json(cast, api):
    assert api(None).get("/me").status_code == 401
    response = Client().get("/api/v1/me", headers={"Authorization": "Bearer pf_wrong"})
    assert response.status_code == 401
    assert response.json()["error"].startswith("Sign in, or send a personal token")


def test_tokens_are_stored_only_as_a_digest(cast, api):
    client = api(cast.owner)
    raw = client.headers["Authorization"].removeprefix("Bearer ")
    token = ApiToken.objects.get(member=cast.owner)
    assert raw not in (token.digest, token.prefix) and len(token.digest) == 64


def test_token_of_a_deactivated_member_stops_working(cast, api):
    client = api(cast.owner)
    cast.owner.is_active = False
    cast.owner.save()
    assert client.get("/me").status_code == 401


def test_browser_session_works_for_reads_and_needs_csrf_for_writes(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/allies", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_a_member_keeps_their_fields_now_read_from_the_model(cast, api):
    """Clients see the same keys and values; the username's limit comes from the model."""
    members = api(cast.owner).get("/members").json()["items"]
    owner = next(m for m in members if m["username"] == "owner")
    assert owner == {
        "username": "owner",
        "name": cast.owner.name,
        "is_steward": False,
        "teams": ["workshop"],
    }
    steward = next(m for m in members if m["username"] == "steward")
    assert steward["teams"] == [] and steward["is_steward"] is True
    username = Member._meta.get_field("username")
    assert output_schema("MemberOut")["properties"]["username"]["maxLength"] == (
        username.max_length
    )
