"""Every list of the API comes in one shape: ``{"items", "total", "next"}``."""

from __future__ import annotations

import pytest

from purposeful.api import api as ninja_api
from purposeful.organisation.models import Ally


def _list_operations() -> list[str]:
    """The GET operations whose answer is a list of items (any schema with ``items``)."""
    document = ninja_api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    found = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        answer = operation["responses"].get(200, {})
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        if schema.get("type") == "array" or "items" in schema.get("properties", {}):
            found.append(path)
    return found


def test_every_list_is_paged_in_one_shape():
    document = ninja_api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    lists = _list_operations()
    assert len(lists) >= 25
    for path in lists:
        operation = document["paths"][path]["get"]
        schema = operation["responses"][200]["content"]["application/json"]["schema"]
        assert "$ref" in schema, f"{path} answers a bare list"
        properties = schemas[schema["$ref"].rsplit("/", 1)[1]]["properties"]
        assert set(properties) == {"items", "total", "next"}, path
        asked = {
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        }
        assert {"limit", "offset"} <= asked, path


@pytest.fixture
def five_allies(db):
    for name in "ABCDE":
        Ally.objects.create(name=f"Ally {name}")


def test_next_leads_through_every_page_and_is_null_on_the_last(five_allies, client):
    seen, address, pages = [], "/api/v1/allies?limit=2", 0
    while address:
        body = client.get(address).json()
        assert body["total"] == 5
        seen += [ally["name"] for ally in body["items"]]
        address, pages = body["next"], pages + 1
    assert seen == [f"Ally {name}" for name in "ABCDE"]
    assert pages == 3


def test_next_keeps_the_lists_filters(cast, api):
    for n in range(3):
        cast.team.signals.create(kind="issue", words=f"Squeak {n}")
    body = api(cast.owner).get(f"/signals?team={cast.team.pk}&limit=2").json()
    assert f"team={cast.team.pk}" in body["next"]
    assert body["next"].endswith("offset=2")


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=501", "offset=-1", f"offset={10**9 + 1}"]
)
def test_a_page_out_of_range_is_refused(five_allies, client, query):
    response = client.get(f"/api/v1/allies?{query}")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
