from __future__ import annotations

from tests import factories
from tests.api_shapes import output_schema, shape


def _fields(response) -> list:
    """The fields an API error names."""
    return [problem["field"] for problem in response.json()["detail"]]


def test_teams_list_has_id_slug_name_and_member_usernames(cast, api):
    response = api(cast.owner).get("/teams")
    assert response.status_code == 200
    teams = {team["slug"]: team for team in response.json()["items"]}
    assert teams["workshop"]["id"] == cast.team.pk
    assert teams["workshop"]["name"] == "Workshop"
    assert sorted(teams["workshop"]["members"]) == ["owner", "steward2"]


def test_team_detail_names_the_customer_links(cast, api):
    factories.role(cast.team, holders=[cast.owner])
    data = api(cast.outsider).get(f"/teams/{cast.team.pk}").json()
    assert data["customer_links"] == ["owner"]
    assert data["roles"][0]["kind"] == "customer_link"


def test_created_team_is_returned_with_its_founder(cast, api):
    response = api(cast.outsider).post("/teams", {"name": "Cargo", "purpose": "Loads"})
    assert response.status_code == 201
    assert response.json()["members"] == ["outsider"]


def test_invalid_input_gets_400_json_naming_the_field(cast, api):
    response = api(cast.owner).post("/teams", {"purpose": "no name"})
    assert response.status_code == 400
    assert [d["field"] for d in response.json()["detail"]] == ["name"]


def test_service_validation_errors_get_400_json_by_field(cast, api):
    response = api(cast.owner).post("/allies", {"name": "X", "website": "nope"})
    assert response.status_code == 400
    assert "website" in _fields(response)


def test_purpose_is_public_and_its_history_is_internal(cast, api):
    assert api(None).get("/purpose").json()["text"] == "Keep bikes riding."
    assert api(None).get("/purpose/versions").status_code == 401
    assert api(cast.owner).get("/purpose/versions").json()["total"] == 1


def test_unknown_team_is_a_json_404(cast, api):
    response = api(cast.owner).get("/teams/999999")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found.", "detail": []}


def test_role_lifecycle_through_the_api(cast, api):
    client = api(cast.owner)
    role = client.post(
        f"/teams/{cast.team.pk}/roles",
        {
            "name": "Link",
            "kind": "customer_link",
            "accountabilities": ["Talk", "Listen"],
        },
    ).json()
    assert role["accountabilities"] == ["Talk", "Listen"]
    assert client.post(f"/roles/{role['id']}/holders", {"username": "owner"}).json()[
        "holders"
    ] == ["owner"]
    assert (
        client.patch(f"/roles/{role['id']}", {"name": "Customer link"}).json()["name"]
        == "Customer link"
    )
    assert client.delete(f"/roles/{role['id']}/holders/owner").status_code == 204
    assert client.delete(f"/roles/{role['id']}").status_code == 204


def test_openapi_document_lists_the_endpoints(cast, api):
    paths = api(None).get("/openapi.json").json()["paths"]
    for path in ["/api/v1/me", "/api/v1/teams", "/api/v1/allies", "/api/v1/purpose"]:
        assert path in paths


def test_numbers_too_large_for_the_database_never_crash_the_api(cast, api):
    for path in [f"/teams/{10**30}", f"/targets?team={10**30}", f"/offers/{10**30}"]:
        response = api(cast.owner).get(path)
        assert response.status_code < 500, path
        assert response["Content-Type"].startswith("application/json")


def test_a_page_offset_past_what_a_database_can_count_is_a_clear_400_class_answer(
    cast, api
):
    for path in [
        f"/signals?offset={10**22}",
        f"/accounts?offset={10**22}",
        f"/exports/accounts?offset={10**22}",
    ]:
        response = api(cast.owner).get(path)
        assert 400 <= response.status_code < 500, path
        assert "detail" in response.json()


def test_asking_to_join_through_the_api_is_a_request_with_no_write_rights(cast, api):
    client = api(cast.outsider)
    response = client.post(f"/teams/{cast.team.pk}/members", {"username": "outsider"})
    assert response.status_code == 202
    assert response.json()["state"] == "pending"
    target = client.patch(f"/targets/{cast.target.pk}", {"title": "Taken over"})
    assert target.status_code == 403
    assert "outsider" not in client.get(f"/teams/{cast.team.pk}").json()["members"]


def test_a_member_accepts_a_request_to_join_through_the_api(cast, api):
    asked = api(cast.outsider).post(
        f"/teams/{cast.team.pk}/join-requests", {"message": "I fix wheels"}
    )
    assert asked.status_code == 201
    waiting = (
        api(cast.owner).get(f"/teams/{cast.team.pk}/join-requests").json()["items"]
    )
    assert [r["member"] for r in waiting] == ["outsider"]
    path = f"/join-requests/{asked.json()['id']}/accept"
    refused = api(cast.outsider).post(path)
    assert refused.status_code == 403 and "detail" in refused.json()
    accepted = api(cast.owner).post(path)
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["decided_by"] == "owner"
    assert "outsider" in api(cast.owner).get(f"/teams/{cast.team.pk}").json()["members"]


def test_deleting_a_colleague_through_the_api_is_a_proposal_until_agreed(cast, api):
    factories.member("third", teams=[cast.team])
    response = api(cast.owner).delete(f"/teams/{cast.team.pk}/members/steward2")
    assert response.status_code == 202
    proposal = response.json()
    assert (proposal["member"], proposal["state"]) == ("steward2", "proposed")
    assert "steward2" in api(cast.owner).get(f"/teams/{cast.team.pk}").json()["members"]
    path = f"/removals/{proposal['id']}/agree"
    assert api(cast.owner).post(path).status_code == 403
    from purposeful.people.models import Member

    agreed = api(Member.objects.get(username="third")).post(path)
    assert agreed.status_code == 200 and agreed.json()["state"] == "agreed"
    members = api(cast.owner).get(f"/teams/{cast.team.pk}").json()["members"]
    assert sorted(members) == ["owner", "third"]


def test_leaving_through_the_api_is_immediate(cast, api):
    assert (
        api(cast.owner).delete(f"/teams/{cast.team.pk}/members/owner").status_code
        == 204
    )
    assert (
        "owner" not in api(cast.owner).get(f"/teams/{cast.team.pk}").json()["members"]
    )


def test_purpose_teams_roles_and_requests_keep_their_fields(cast, api):
    """Clients see the same keys, types and nulls now read from the models."""
    client = api(cast.steward_in_team)
    version_shape = {
        "number": "int",
        "text": "str",
        "reason": "str",
        "author": "str",
        "created_at": "str",
    }
    changed = client.post("/purpose", {"text": "Keep every bike riding."}).json()
    assert shape(changed) == version_shape
    assert shape(api(None).get("/purpose").json()) == version_shape
    assert shape(client.get("/purpose/versions").json()["items"]) == [
        version_shape,
        {**version_shape, "author": "null"},
    ]
    assert shape(api(None).get("/organisation").json()) == {
        "name": "str",
        "tagline": "str",
        "website": "str",
        "contact_email": "str",
        "purpose": "str",
    }

    role_shape = {
        "id": "int",
        "team": "int",
        "name": "str",
        "kind": "str",
        "purpose": "str",
        "accountabilities": ["str", "str"],
        "holders": [],
    }
    role = client.post(
        f"/teams/{cast.team.pk}/roles", {"name": "Link", "accountabilities": ["a", "b"]}
    ).json()
    assert shape(role) == role_shape
    held = client.post(f"/roles/{role['id']}/holders", {"username": "owner"}).json()
    assert shape(held) == {**role_shape, "holders": ["str"]}
    assert shape(client.get(f"/teams/{cast.team.pk}/roles").json()["items"]) == [
        {**role_shape, "holders": ["str"]}
    ]
    team_shape = {
        "id": "int",
        "slug": "str",
        "name": "str",
        "purpose": "str",
        "members": ["str", "str"],
    }
    listed = client.get("/teams").json()["items"]
    assert shape(next(t for t in listed if t["id"] == cast.team.pk)) == team_shape
    assert shape(client.get(f"/teams/{cast.team.pk}").json()) == {
        **team_shape,
        "roles": [{**role_shape, "holders": ["str"]}],
        "customer_links": [],
    }

    request_shape = {
        "id": "int",
        "team": "int",
        "member": "str",
        "message": "str",
        "state": "str",
        "created_at": "str",
        "decided_by": "null",
        "decided_at": "null",
    }
    asked = api(cast.outsider).post(f"/teams/{cast.team.pk}/join-requests", {})
    assert shape(asked.json()) == request_shape
    waiting = client.get(f"/teams/{cast.team.pk}/join-requests").json()["items"]
    assert shape(waiting) == [request_shape]
    accepted = client.post(f"/join-requests/{asked.json()['id']}/accept").json()
    assert shape(accepted) == {
        **request_shape,
        "decided_by": "str",
        "decided_at": "str",
    }

    proposal_shape = {
        "id": "int",
        "team": "int",
        "member": "str",
        "proposed_by": "str",
        "reason": "str",
        "state": "str",
        "created_at": "str",
        "decided_by": "null",
        "decided_at": "null",
    }
    proposal = client.post(
        f"/teams/{cast.team.pk}/removals", {"username": "outsider"}
    ).json()
    assert shape(proposal) == proposal_shape
    open_ones = client.get(f"/teams/{cast.team.pk}/removals").json()["items"]
    assert shape(open_ones) == [proposal_shape]
    withdrawn = client.post(f"/removals/{proposal['id']}/withdraw").json()
    assert shape(withdrawn) == {
        **proposal_shape,
        "decided_by": "str",
        "decided_at": "str",
    }
    # Built from the models, the document states their limits.
    assert output_schema("RoleOut")["properties"]["name"]["maxLength"] == 120
    assert output_schema("TeamOut")["properties"]["slug"]["maxLength"] == 120
