"""A member in no team meets one page wherever they would make a team's record."""

from __future__ import annotations

import pytest
from django.test import Client

CREATE_PAGES = ["/customers/new/", "/messages/new/", "/targets/new/", "/offers/new/"]


def _client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.mark.parametrize("page", CREATE_PAGES)
def test_a_member_in_no_team_gets_the_same_join_a_team_page(cast, page):
    client = _client(cast.steward)
    for method in ("get", "post"):
        response = getattr(client, method)(page)
        assert response.status_code == 403, f"{method.upper()} {page}"
        assert [t.name for t in response.templates][0] == "core/team_needed.html"
        html = response.content.decode()
        assert "Join a team first" in html
        assert 'href="/teams/"' in html and 'href="/teams/new/"' in html
    # a member of a team gets the form itself
    response = _client(cast.owner).get(page)
    assert response.status_code == 200
    assert "core/team_needed.html" not in [t.name for t in response.templates]


def test_the_page_says_why_for_each_kind_of_record(cast):
    client = _client(cast.steward)
    assert b"customer belongs to a team" in client.get("/customers/new/").content
    assert b"join a team to set targets" in client.get("/targets/new/").content
