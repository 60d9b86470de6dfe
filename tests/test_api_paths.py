"""Every path of the API is written one way: no trailing slash; the old ones redirect."""

from __future__ import annotations

import pytest

from purposeful.api import MOVED_COLLECTIONS
from purposeful.api import api as ninja_api


def test_no_path_of_the_api_ends_with_a_slash():
    paths = ninja_api.get_openapi_schema()["paths"]
    assert [path for path in paths if path.endswith("/")] == []


@pytest.mark.parametrize("collection", MOVED_COLLECTIONS)
def test_an_old_address_with_a_slash_redirects_for_good(client, collection):
    response = client.get(f"/api/v1/{collection}/?limit=2&offset=4")
    assert response.status_code == 308
    assert response["Location"] == f"/api/v1/{collection}?limit=2&offset=4"


def test_a_post_to_an_old_address_arrives_with_its_body(cast, api):
    client = api(cast.owner)
    response = client.client.post(
        "/api/v1/allies/",
        {"name": "Pedal Post"},
        content_type="application/json",
        headers=client.headers,
        follow=True,
    )
    assert response.redirect_chain == [("/api/v1/allies", 308)]
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Pedal Post"
