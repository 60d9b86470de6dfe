"""Every role × every offer action, through the services, the pages and the API.

Only the team that makes an offer writes, asks advice on, publishes or retires
it; every member reads drafts and may give advice; visitors see nothing but
published versions. The three doors must agree.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from purposeful.offers import services
from purposeful.offers.models import Advice, Offer
from purposeful.permissions import Action, allowed
from tests.conftest import ROLES
from tests.offers.factories import CANVAS, canvas, published_offer

OFFER_ACTIONS = [a for a in Action if a.value.startswith("offer.")]

# Who may (Y) or may not (N): anonymous, owner, outsider, steward — as in
# tests/test_permissions.py, repeated here so each door is checked against it.
EXPECTED = {
    Action.CREATE_OFFER: "NYNN",
    Action.CHANGE_OFFER: "NYNN",
    Action.ASK_OFFER_ADVICE: "NYNN",
    Action.GIVE_OFFER_ADVICE: "NYYY",
    Action.PUBLISH_OFFER: "NYNN",
    Action.RETIRE_OFFER: "NYNN",
    Action.VIEW_OFFER_DRAFT: "NYYY",
}
CASES = [
    (action, role, EXPECTED[action][i] == "Y")
    for action in EXPECTED
    for i, role in enumerate(ROLES)
]


def test_every_offer_action_is_in_this_matrix():
    assert set(EXPECTED) == set(OFFER_ACTIONS)


def _target(cast, action):
    if action is Action.CREATE_OFFER:
        return cast.team
    if action is Action.RETIRE_OFFER:
        return published_offer(cast.team, cast.owner, name="Wheel rebuild")
    return cast.offer


def _service(cast, action, actor, target):
    """Do the action through its service; return a check that it took effect."""
    if action is Action.CREATE_OFFER:
        services.offer_create(actor=actor, team=target, **canvas(name="Wheel rebuild"))
        return lambda: Offer.objects.filter(slug="wheel-rebuild").exists()
    if action is Action.CHANGE_OFFER:
        services.offer_update(actor=actor, offer=target, summary="Changed")
        return lambda: target.latest_version.summary == "Changed"
    if action is Action.ASK_OFFER_ADVICE:
        services.offer_ask_advice(actor=actor, offer=target, members=[cast.outsider])
        return lambda: target.working_version.advice_requests.exists()
    if action is Action.GIVE_OFFER_ADVICE:
        services.advice_give(actor=actor, offer=target, text="Say how long it takes.")
        return lambda: Advice.objects.exists()
    if action is Action.PUBLISH_OFFER:
        services.offer_publish(actor=actor, offer=target)
        return lambda: Offer.objects.get(pk=target.pk).is_published
    if action is Action.RETIRE_OFFER:
        services.offer_retire(actor=actor, offer=target)
        return lambda: Offer.objects.get(pk=target.pk).is_retired
    raise AssertionError(f"no service for {action}")


@pytest.mark.parametrize(("action", "role", "expected"), CASES, ids=str)
def test_permission_layer_answers_as_the_matrix_says(cast, action, role, expected):
    assert allowed(cast.by_role(role), action, _target(cast, action)) is expected


@pytest.mark.parametrize(
    ("action", "role", "expected"),
    [c for c in CASES if c[0] is not Action.VIEW_OFFER_DRAFT],
    ids=str,
)
def test_services_do_or_refuse_as_the_matrix_says(cast, action, role, expected):
    target = _target(cast, action)
    if expected:
        took_effect = _service(cast, action, cast.by_role(role), target)
        assert took_effect()
    else:
        with pytest.raises(PermissionDenied):
            _service(cast, action, cast.by_role(role), target)


def _page_request(cast, action, target):
    """(path, data) of the form that does the action."""
    if action is Action.CREATE_OFFER:
        data = {**canvas(name="Wheel rebuild"), "team": target.pk, "currency": "EUR"}
        return "/offers/new/", data
    slug = target.slug
    if action is Action.CHANGE_OFFER:
        return f"/offers/{slug}/canvas/edit/", {
            **CANVAS,
            "summary": "Changed",
            "currency": "EUR",
        }
    if action is Action.ASK_OFFER_ADVICE:
        return f"/offers/{slug}/advice/ask/", {"members": [cast.outsider.pk]}
    if action is Action.GIVE_OFFER_ADVICE:
        return f"/offers/{slug}/advice/", {"text": "Say how long it takes."}
    if action is Action.PUBLISH_OFFER:
        return f"/offers/{slug}/publish/", {"change_note": ""}
    if action is Action.RETIRE_OFFER:
        return f"/offers/{slug}/retire/", {}
    raise AssertionError(action)


def _client(cast, role):
    client = Client()
    if role != "anonymous":
        client.force_login(cast.by_role(role))
    return client


@pytest.mark.parametrize(("action", "role", "expected"), CASES, ids=str)
def test_pages_agree_with_the_matrix(cast, action, role, expected):
    target = _target(cast, action)
    client = _client(cast, role)
    if action is Action.VIEW_OFFER_DRAFT:
        response = client.get(f"/offers/{target.slug}/canvas/")
        success = 200
    else:
        path, data = _page_request(cast, action, target)
        response = client.post(path, data)
        success = 302
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif expected:
        assert response.status_code == success, response.content[:500]
    else:
        assert response.status_code == 403, response.content[:500]
        if action is Action.CREATE_OFFER and role == "steward":
            # the steward is in no team: the page asks to join one first
            assert b"Join a team first" in response.content
        else:
            assert b"Only members of Workshop" in response.content


def _api_call(cast, action, target):
    if action is Action.CREATE_OFFER:
        data = {**canvas(name="Wheel rebuild"), "price": "15.00", "team": target.pk}
        return "post", "/offers", data, 201
    base = f"/offers/{target.pk}"
    if action is Action.CHANGE_OFFER:
        return "patch", base, {"summary": "Changed"}, 200
    if action is Action.ASK_OFFER_ADVICE:
        return "post", f"{base}/advice/requests", {"members": ["outsider"]}, 201
    if action is Action.GIVE_OFFER_ADVICE:
        return "post", f"{base}/advice", {"text": "Say how long it takes."}, 201
    if action is Action.PUBLISH_OFFER:
        return "post", f"{base}/publish", {}, 200
    if action is Action.RETIRE_OFFER:
        return "post", f"{base}/retire", {}, 200
    if action is Action.VIEW_OFFER_DRAFT:
        return "get", f"{base}/advice", None, 200
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "role", "expected"), CASES, ids=str)
def test_api_agrees_with_the_matrix(cast, api, action, role, expected):
    target = _target(cast, action)
    method, path, data, success = _api_call(cast, action, target)
    client = api(None if role == "anonymous" else cast.by_role(role))
    response = (
        client.get(path) if method == "get" else getattr(client, method)(path, data)
    )
    assert response["Content-Type"].startswith("application/json")
    if role == "anonymous":
        assert response.status_code == 401
    elif expected:
        assert response.status_code == success, response.content[:500]
    else:
        assert response.status_code == 403, response.content[:500]
        assert response.json()["error"].startswith("Only members of Workshop")


def test_refused_publish_through_the_api_changes_nothing(cast, api):
    response = api(cast.outsider).post(f"/offers/{cast.offer.pk}/publish", {})
    assert response.status_code == 403
    assert Offer.objects.get(pk=cast.offer.pk).state == Offer.State.DRAFT
