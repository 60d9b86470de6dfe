"""The JSON API for targets: the same rules, answered as JSON."""

from __future__ import annotations

import pytest

from purposeful.targets.models import CheckIn, Target
from tests.api_shapes import output_schema, shape
from tests.targets.factories import check_in


def _fields(response) -> list:
    """The fields an API error names."""
    return [problem["field"] for problem in response.json()["detail"]]


pytestmark = pytest.mark.django_db

NEW = {
    "title": "Run 12 evening courses this year",
    "why": "People who can fix their bike keep riding it.",
    "measure_unit": "courses",
    "measure_target": "12",
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
}


def _client(api, cast, role):
    return api(None if role == "anonymous" else cast.by_role(role))


def test_member_creates_a_target_naming_their_team(cast, api):
    response = api(cast.owner).post("/targets", {**NEW, "team": cast.team.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"] == cast.team.pk
    assert body["is_shared"] is True
    assert body["measure_target"] in ("12", "12.00", 12)
    assert Target.objects.get(pk=body["id"]).created_by == cast.owner


def test_creating_for_a_team_you_are_not_in_is_403_json(cast, api):
    response = api(cast.owner).post("/targets", {**NEW, "team": cast.other_team.pk})
    assert response.status_code == 403
    assert response.json() == {
        "error": "Only members of Learning Lab can set its targets.",
        "detail": [],
    }
    assert not Target.objects.exists()


def test_unknown_team_is_400_json(cast, api):
    response = api(cast.owner).post("/targets", {**NEW, "team": 99999})
    assert response.status_code == 400
    assert response.json()["detail"] == [
        {"field": "team", "message": "There is no team with id 99999."}
    ]


def test_invalid_period_is_400_json(cast, api):
    response = api(cast.owner).post(
        "/targets", {**NEW, "team": cast.team.pk, "period_end": "2025-01-01"}
    )
    assert response.status_code == 400
    assert "period_end" in _fields(response)


def test_malformed_body_is_400_json(cast, api):
    response = api(cast.owner).post("/targets", {"team": "workshop"})
    assert response.status_code == 400
    assert "detail" in response.json()


WRITES = {
    "create": (
        "post",
        lambda c: "/targets",
        lambda c: {**NEW, "team": c.team.pk},
        201,
    ),
    "change": (
        "patch",
        lambda c: f"/targets/{c.target.pk}",
        lambda c: {"title": "Changed"},
        200,
    ),
    "let_go": (
        "patch",
        lambda c: f"/targets/{c.target.pk}",
        lambda c: {"state": "let_go", "closing_note": "We learned"},
        200,
    ),
    "reopen": (
        "patch",
        lambda c: f"/targets/{c.target.pk}",
        lambda c: {"state": "active"},
        200,
    ),
    "delete": ("delete", lambda c: f"/targets/{c.target.pk}", lambda c: None, 204),
    "check_in": (
        "post",
        lambda c: f"/targets/{c.target.pk}/check-ins",
        lambda c: {"value": "6", "learned": "Chains can be saved"},
        201,
    ),
}


@pytest.mark.parametrize("role", ["anonymous", "owner", "outsider", "steward"])
@pytest.mark.parametrize("name", list(WRITES))
def test_api_write_matrix(cast, api, name, role):
    method, path, data, ok = WRITES[name]
    client = _client(api, cast, role)
    if name == "reopen":
        Target.objects.filter(pk=cast.target.pk).update(state=Target.State.REACHED)
    body = data(cast)
    call = getattr(client, method)
    response = call(path(cast)) if body is None else call(path(cast), body)
    expected = {"anonymous": 401, "owner": ok, "outsider": 403, "steward": 403}[role]
    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        assert "detail" in response.json()
        assert Target.objects.filter(
            pk=cast.target.pk, title__startswith="Repair"
        ).exists()
        assert not CheckIn.objects.exists()


def test_steward_who_is_a_member_may_write(cast, api):
    response = api(cast.steward_in_team).patch(
        f"/targets/{cast.target.pk}", {"title": "Repair 9 of 10"}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Repair 9 of 10"


def test_team_cannot_be_changed_through_patch(cast, api):
    response = api(cast.owner).patch(
        f"/targets/{cast.target.pk}", {"team": cast.other_team.pk}
    )
    assert response.status_code == 200
    assert Target.objects.get(pk=cast.target.pk).team == cast.team


def test_let_go_without_reason_is_400(cast, api):
    response = api(cast.owner).patch(f"/targets/{cast.target.pk}", {"state": "let_go"})
    assert response.status_code == 400
    assert Target.objects.get(pk=cast.target.pk).is_open


def test_list_shows_shared_targets_and_hides_other_teams_private_ones(cast, api):
    cast.target, cast.private_target  # noqa: B018 - create both
    outsider = api(cast.outsider).get("/targets").json()["items"]
    owner = api(cast.owner).get("/targets").json()["items"]
    assert [t["title"] for t in outsider] == [cast.target.title]
    assert {t["title"] for t in owner} == {cast.target.title, "Kept inside"}
    assert (
        api(cast.outsider).get(f"/targets/{cast.private_target.pk}").status_code == 403
    )


def test_list_requires_sign_in(cast, api):
    assert api(None).get("/targets").status_code == 401


def test_check_ins_are_listed_oldest_first(cast, api):
    check_in(cast.target, value=5, learned="first")
    check_in(cast.target, value=6, learned="second")
    body = (
        api(cast.outsider).get(f"/targets/{cast.target.pk}/check-ins").json()["items"]
    )
    assert [c["learned"] for c in body] == ["first", "second"]


def test_check_in_with_bad_sense_answer_is_400(cast, api):
    response = api(cast.owner).post(
        f"/targets/{cast.target.pk}/check-ins",
        {"learned": "x", "still_makes_sense": "maybe"},
    )
    assert response.status_code == 400


def test_anyone_inside_comments_through_the_api(cast, api):
    response = api(cast.outsider).post(
        f"/targets/{cast.target.pk}/comments", {"text": "Can we help?"}
    )
    assert response.status_code == 201
    listed = api(cast.owner).get(f"/targets/{cast.target.pk}/comments").json()["items"]
    assert listed[0]["author"] == "outsider"


def test_unknown_target_is_404_json(cast, api):
    response = api(cast.owner).get("/targets/99999")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found.", "detail": []}


def test_dashboard_numbers_need_a_member_until_made_public(cast, api):
    from purposeful.targets import services

    assert api(None).get("/dashboard").status_code == 401
    body = api(cast.outsider).get("/dashboard").json()
    assert [s["key"] for s in body["sections"]] == [
        "offers",
        "signals",
        "needs",
        "loop",
        "referrals",
    ]
    assert "available" in body["lens"]
    services.dashboard_settings_update(actor=cast.steward, is_public=True)
    assert api(None).get("/dashboard").status_code == 200


def test_openapi_document_lists_the_target_endpoints(cast, api):
    paths = api(None).get("/openapi.json").json()["paths"]
    for path in [
        "/api/v1/targets",
        "/api/v1/targets/{target_id}",
        "/api/v1/targets/{target_id}/check-ins",
        "/api/v1/dashboard",
    ]:
        assert path in paths


TARGET_SHAPE = {
    "id": "int",
    "team": "int",
    "team_name": "str",
    "title": "str",
    "why": "str",
    "measure_unit": "str",
    "measure_target": "str",
    "period_start": "str",
    "period_end": "str",
    "is_shared": "bool",
    "state": "str",
    "closing_note": "str",
    "closed_at": "null",
    "created_by": "str",
    "created_at": "str",
    "check_in_count": "int",
}


def test_targets_check_ins_and_comments_keep_their_fields_now_read_from_the_model(
    cast, api
):
    """Clients see the same keys, types and nulls; lengths come from the model."""
    client = api(cast.owner)
    created = client.post("/targets", {**NEW, "team": cast.team.pk})
    target_id = created.json()["id"]
    blank = {**NEW, "team": cast.team.pk, "measure_unit": "", "measure_target": None}
    blank_shape = {**TARGET_SHAPE, "measure_target": "null", "check_in_count": "int"}
    assert shape(created.json()) == TARGET_SHAPE
    assert shape(client.post("/targets", blank).json()) == blank_shape
    assert shape(client.get(f"/targets/{target_id}").json()) == TARGET_SHAPE

    check_in_shape = {
        "id": "int",
        "target": "int",
        "value": "null",
        "learned": "str",
        "sensed": "str",
        "still_makes_sense": "str",
        "author": "str",
        "created_at": "str",
    }
    posted = client.post(f"/targets/{target_id}/check-ins", {"learned": "Slow."})
    assert shape(posted.json()) == check_in_shape
    check_in(Target.objects.get(pk=target_id), value="3")
    listed = client.get(f"/targets/{target_id}/check-ins").json()["items"]
    assert shape(listed) == [
        check_in_shape,
        {**check_in_shape, "value": "str", "author": "null"},
    ]

    comment_shape = {
        "id": "int",
        "target": "int",
        "text": "str",
        "author": "str",
        "created_at": "str",
    }
    comment = client.post(f"/targets/{target_id}/comments", {"text": "Well done."})
    assert shape(comment.json()) == comment_shape
    comments = client.get(f"/targets/{target_id}/comments").json()["items"]
    assert shape(comments) == [comment_shape]

    patched = client.patch(f"/targets/{target_id}", {"state": "reached"}).json()
    assert shape(patched) == {**TARGET_SHAPE, "closed_at": "str"}
    listed_targets = client.get("/targets").json()["items"]
    assert shape(listed_targets) == [
        {**TARGET_SHAPE, "closed_at": "str"},
        blank_shape,
    ] or shape(listed_targets) == [blank_shape, {**TARGET_SHAPE, "closed_at": "str"}]
    assert (
        listed_targets[0]["check_in_count"] + listed_targets[1]["check_in_count"] == 2
    )

    # Built from the model, the document states the model's limits and help; the
    # id is always there, as before.
    document = output_schema("TargetOut")
    title = Target._meta.get_field("title")
    assert document["properties"]["title"]["maxLength"] == title.max_length
    assert document["properties"]["id"]["type"] == "integer"
    assert "id" in document["required"]
    assert "maxLength" in output_schema("CommentOut")["properties"]["text"]
