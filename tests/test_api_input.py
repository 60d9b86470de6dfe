"""The API refuses input it cannot mean, with a 4xx and a JSON reason, and documents
each operation with a schema of its own."""

from __future__ import annotations

import json

import pytest
from ninja import Schema

import purposeful.api  # noqa: F401  (imports every router and its schemas)
from purposeful.api import api as ninja_api
from purposeful.organisation.models import Ally, Organisation


def _raw(client, method, path, body: str):
    return getattr(client.client, method)(
        f"/api/v1{path}",
        data=body,
        content_type="application/json",
        headers=client.headers,
    )


def _schemas(cls=Schema):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document names schemas by class; a second class of the same name
    silently replaces the first, so one operation is documented with another's."""
    by_name: dict[str, set[str]] = {}
    for cls in _schemas():
        if cls.__module__.startswith("purposeful."):
            by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    shared = {name: mods for name, mods in by_name.items() if len(mods) > 1}
    assert not shared


def test_starting_a_team_is_documented_with_its_own_body():
    doc = ninja_api.get_openapi_schema()
    body = doc["paths"]["/api/v1/teams"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "name" in doc["components"]["schemas"][ref]["properties"]


def test_offer_review_answers_the_documented_counts(api, cast):
    from tests.offers.factories import offer

    draft = offer(cast.team, cast.owner, best_we_can="Only 3 left, order now!")
    response = api(cast.owner).get(f"/offers/{draft.pk}/review")
    assert response.status_code == 200, response.content
    review = response.json()
    ids = [finding["id"] for finding in review["findings"]]
    assert review["counts"] == {i: ids.count(i) for i in set(ids)}
    doc = ninja_api.get_openapi_schema()
    ref = doc["paths"]["/api/v1/offers/{offer_id}/review"]["get"]["responses"]
    ref = ref.get(200) or ref["200"]
    name = ref["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    documented = doc["components"]["schemas"][name]["properties"]
    assert set(review) == set(documented)


@pytest.mark.parametrize("body", ["[null, null]", "true", "null", "5", '"name"'])
def test_a_body_that_is_not_an_object_is_refused(api, cast, body):
    ally = Ally.objects.create(name="Samaritan Bikes")
    response = _raw(api(cast.owner), "patch", f"/allies/{ally.pk}", body)
    assert response.status_code == 400, response.content
    assert response.json() == {
        "error": "The request body must be a JSON object.",
        "detail": [],
    }


def test_true_is_not_an_id(api, cast):
    response = api(cast.owner).post("/accounts", {"name": "Canal School", "team": True})
    assert response.status_code == 400, response.content
    assert not cast.team.accounts.exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "Riverside\\ud800"}',
        '{"name": "Riverside", "notes\\udfff": "x"}',
    ],
)
def test_a_lone_surrogate_anywhere_in_a_body_is_refused_clearly(api, cast, body):
    body = body[:-1] + f', "team": {cast.team.pk}}}'
    response = _raw(api(cast.owner), "post", "/accounts", body)
    assert response.status_code == 400, response.content
    assert "unpaired surrogate" in response.json()["error"]


@pytest.mark.parametrize("field", ["name", "website", "does_well", "contact"])
def test_null_for_an_ally_field_is_refused_and_changes_nothing(api, cast, field):
    ally = Ally.objects.create(name="Samaritan Bikes", does_well="Repairs")
    response = api(cast.owner).patch(f"/allies/{ally.pk}", {field: None})
    assert response.status_code == 400, response.content
    ally.refresh_from_db()
    assert (ally.name, ally.does_well) == ("Samaritan Bikes", "Repairs")


@pytest.mark.parametrize("field", ["name", "tagline", "website", "contact_email"])
def test_null_for_an_organisation_field_is_refused(api, cast, field):
    before = Organisation.objects.values().get()
    response = api(cast.steward).patch("/organisation", {field: None})
    assert response.status_code == 400, response.content
    assert Organisation.objects.values().get() == before


def test_a_change_that_leaves_fields_out_keeps_them(api, cast):
    ally = Ally.objects.create(name="Samaritan Bikes", does_well="Repairs")
    response = api(cast.owner).patch(f"/allies/{ally.pk}", {"contact": "Jo"})
    assert response.status_code == 200, response.content
    assert response.json()["does_well"] == "Repairs"
    assert json.loads(response.content)["contact"] == "Jo"
