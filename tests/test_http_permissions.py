"""The same matrix through the doors people use: pages (forms) and the JSON API.

A member of another team gets 403 (JSON from the API); anonymous visitors are
sent to sign in (pages) or get 401 (API); nothing is changed by a refused write.
"""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.organisation.models import Ally, Role, Team

PAGE_WRITES = {
    # name: (method path builder, data, {role: expected status})
    "team.change": (
        lambda c: f"/teams/{c.team.slug}/edit/",
        {"name": "Workshop", "purpose": "Changed"},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
    ),
    "role.create": (
        lambda c: f"/teams/{c.team.slug}/roles/new/",
        {"name": "Buyer", "kind": "custom", "purpose": "", "accountabilities": ""},
        {"anonymous": 302, "owner": 302, "outsider": 403, "steward": 403},
    ),
    "purpose.change": (
        lambda c: "/purpose/edit/",
        {"text": "A brand new purpose", "reason": "testing"},
        {"anonymous": 302, "owner": 302, "outsider": 302, "steward": 302},
    ),
    "ally.create": (
        lambda c: "/allies/new/",
        {"name": "Friends", "website": "", "does_well": "", "contact": ""},
        {"anonymous": 302, "owner": 302, "outsider": 302, "steward": 302},
    ),
    "invitation.create": (
        lambda c: "/invitations/",
        {"email": "new@example.org"},
        {"anonymous": 302, "owner": 403, "outsider": 403, "steward": 200},
    ),
    "organisation.change": (
        lambda c: "/settings/",
        {"name": "Renamed", "tagline": "", "website": "", "contact_email": ""},
        {"anonymous": 302, "owner": 403, "outsider": 403, "steward": 302},
    ),
}


def _client(cast, role):
    client = Client()
    if role != "anonymous":
        client.force_login(cast.by_role(role))
    return client


@pytest.mark.parametrize("role", ["anonymous", "owner", "outsider", "steward"])
@pytest.mark.parametrize("name", list(PAGE_WRITES))
def test_page_write_matrix(cast, name, role):
    path, data, expected = PAGE_WRITES[name]
    response = _client(cast, role).post(path(cast), data)
    assert response.status_code == expected[role], response.content[:300]
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_refused_page_write_changes_nothing(cast):
    _client(cast, "outsider").post(
        f"/teams/{cast.team.slug}/edit/", {"name": "Hijacked", "purpose": "x"}
    )
    assert Team.objects.get(pk=cast.team.pk).name == "Workshop"


def test_forbidden_page_is_friendly_and_explains(cast):
    response = _client(cast, "outsider").post(
        f"/teams/{cast.team.slug}/roles/new/", {"name": "X", "kind": "custom"}
    )
    assert response.status_code == 403
    assert b"Only members of Workshop can change its roles." in response.content
    assert b"Traceback" not in response.content


API_WRITES = {
    "team.change": (
        "patch",
        lambda c: f"/teams/{c.team.pk}",
        {"purpose": "Changed"},
        {"anonymous": 401, "owner": 200, "outsider": 403, "steward": 403},
    ),
    "role.create": (
        "post",
        lambda c: f"/teams/{c.team.pk}/roles",
        {"name": "Buyer"},
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "team.member_add": (
        "post",
        lambda c: f"/teams/{c.team.pk}/members",
        {"username": "steward2"},
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "purpose.change": (
        "post",
        lambda c: "/purpose",
        {"text": "A purpose written through the API"},
        {"anonymous": 401, "owner": 201, "outsider": 201, "steward": 201},
    ),
    "ally.create": (
        "post",
        lambda c: "/allies",
        {"name": "Friends of the API"},
        {"anonymous": 401, "owner": 201, "outsider": 201, "steward": 201},
    ),
    "organisation.change": (
        "patch",
        lambda c: "/organisation",
        {"tagline": "New"},
        {"anonymous": 401, "owner": 403, "outsider": 403, "steward": 200},
    ),
    "team.create": (
        "post",
        lambda c: "/teams",
        {"name": "Brand new team"},
        {"anonymous": 401, "owner": 201, "outsider": 201, "steward": 201},
    ),
}


@pytest.mark.parametrize("role", ["anonymous", "owner", "outsider", "steward"])
@pytest.mark.parametrize("name", list(API_WRITES))
def test_api_write_matrix(cast, api, name, role):
    method, path, data, expected = API_WRITES[name]
    client = api(None if role == "anonymous" else cast.by_role(role))
    response = getattr(client, method)(path(cast), data)
    assert response.status_code == expected[role], response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert "detail" in response.json()


def test_api_refusal_is_json_with_the_reason(cast, api):
    response = api(cast.outsider).delete(
        f"/roles/{Role.objects.create(team=cast.team, name='Buyer').pk}"
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": "Only members of Workshop can change its roles.",
        "detail": [],
    }
    assert Role.objects.filter(name="Buyer").exists()


def test_api_refused_ally_delete_by_anonymous_keeps_the_ally(cast, api):
    ally = Ally.objects.create(name="Keep me")
    assert api(None).delete(f"/allies/{ally.pk}").status_code == 401
    assert Ally.objects.filter(pk=ally.pk).exists()
