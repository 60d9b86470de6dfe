"""Every outreach action × every role, through each door: services, pages and the API.

The expected answer comes from the shared MATRIX in tests/test_permissions.py; each
case checks the outcome (was something written?), not only a status code.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from purposeful.lens import CATEGORY_IDS
from purposeful.outreach import lens_service, services
from purposeful.outreach.models import Advice, Message, SiteReview
from purposeful.permissions import Action
from tests.conftest import ROLES
from tests.outreach.factories import PURPOSE_LED
from tests.test_permissions import MATRIX

ACTIONS = [
    Action.CREATE_MESSAGE,
    Action.CHANGE_MESSAGE,
    Action.GIVE_MESSAGE_ADVICE,
    Action.PUBLISH_MESSAGE,
    Action.REVIEW_TEXT,
    Action.CONFIGURE_LENS,
    Action.REVIEW_SITE,
]
DOORS = ["service", "page", "api"]


def _ready(cast):
    message = cast.message
    message.state = Message.State.READY
    message.save()
    return message


def _created(cast):
    return Message.objects.filter(title="Matrix").exists()


def _settings_data():
    data = {"competitors": "MegaBikes", "allies": "", "claims": ""}
    data.update({f"grade:{i}": "default" for i in CATEGORY_IDS})
    return data


# action: (prepare, {door: do(cast, actor_or_client, target)}, took_effect(cast, target))
CASES = {
    Action.CREATE_MESSAGE: (
        lambda cast: cast.team,
        {
            "service": lambda c, a, t: services.message_create(
                actor=a, team=t, title="Matrix", body="b"
            ),
            "page": lambda c, cl, t: cl.post(
                "/messages/new/",
                {"title": "Matrix", "team": t.pk, "channel": "web", "body": "b"},
            ),
            "api": lambda c, cl, t: cl.post(
                "/messages", {"team": t.slug, "title": "Matrix", "body": "b"}
            ),
        },
        lambda cast, t: _created(cast),
    ),
    Action.CHANGE_MESSAGE: (
        lambda cast: cast.message,
        {
            "service": lambda c, a, t: services.message_update(
                actor=a, message=t, body="Changed"
            ),
            "page": lambda c, cl, t: cl.post(
                f"/messages/{t.pk}/edit/",
                {"title": t.title, "channel": "web", "body": "Changed"},
            ),
            "api": lambda c, cl, t: cl.patch(f"/messages/{t.pk}", {"body": "Changed"}),
        },
        lambda cast, t: Message.objects.get(pk=t.pk).body == "Changed",
    ),
    Action.GIVE_MESSAGE_ADVICE: (
        lambda cast: cast.message,
        {
            "service": lambda c, a, t: services.message_give_advice(
                actor=a, message=t, text="Advice"
            ),
            "page": lambda c, cl, t: cl.post(
                f"/messages/{t.pk}/advice/", {"text": "Advice"}
            ),
            "api": lambda c, cl, t: cl.post(
                f"/messages/{t.pk}/advice", {"text": "Advice"}
            ),
        },
        lambda cast, t: Advice.objects.filter(message=t).exists(),
    ),
    Action.PUBLISH_MESSAGE: (
        _ready,
        {
            "service": lambda c, a, t: services.message_publish(
                actor=a, message=t, where="Web"
            ),
            "page": lambda c, cl, t: cl.post(
                f"/messages/{t.pk}/publish/", {"where": "Web"}
            ),
            "api": lambda c, cl, t: cl.post(
                f"/messages/{t.pk}/publish", {"where": "Web"}
            ),
        },
        lambda cast, t: Message.objects.get(pk=t.pk).is_published,
    ),
    Action.REVIEW_TEXT: (
        lambda cast: None,
        {
            # the lens writes nothing; its door is the live review and the API
            "service": lambda c, a, t: _service_review(a),
            "page": lambda c, cl, t: _remember(
                c, cl.post("/messages/review/", {"body": PURPOSE_LED})
            ),
            "api": lambda c, cl, t: _remember(
                c, cl.post("/lens/review", {"text": PURPOSE_LED})
            ),
        },
        lambda cast, t: getattr(cast, "_reviewed", False),
    ),
    Action.CONFIGURE_LENS: (
        lambda cast: None,
        {
            "service": lambda c, a, t: services.lens_settings_update(
                actor=a, competitors="MegaBikes"
            ),
            "page": lambda c, cl, t: cl.post("/lens/settings/", _settings_data()),
            "api": lambda c, cl, t: cl.patch(
                "/lens/settings", {"competitors": ["MegaBikes"]}
            ),
        },
        lambda cast, t: lens_service.lens_settings_get().competitors == "MegaBikes",
    ),
    Action.REVIEW_SITE: (
        lambda cast: None,
        {
            "service": lambda c, a, t: services.site_review_start(
                actor=a,
                name="s",
                files=[("a.md", SimpleUploadedFile("a.md", b"Hello"))],
            ),
            "page": lambda c, cl, t: cl.post(
                "/site-reviews/",
                {"name": "s", "files": [SimpleUploadedFile("a.md", b"Hello")]},
            ),
            "api": lambda c, cl, t: cl.client.post(
                "/api/v1/site-reviews",
                {"name": "s", "files": [SimpleUploadedFile("a.md", b"Hello")]},
                headers=cl.headers,
            ),
        },
        lambda cast, t: SiteReview.objects.exists(),
    ),
}


def _service_review(actor):
    from purposeful.permissions import check

    check(actor, Action.REVIEW_TEXT)


def _remember(cast, response):
    cast._reviewed = response.status_code == 200
    return response


def test_every_outreach_action_is_in_the_matrix():
    assert set(CASES) == set(ACTIONS)
    assert all(action in MATRIX for action in ACTIONS)


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_outreach_matrix(cast, api, action, role, door):
    expected = MATRIX[action][1][ROLES.index(role)] == "Y"
    prepare, doors, took_effect = CASES[action]
    target = prepare(cast)
    actor = cast.by_role(role)
    member = None if role == "anonymous" else actor
    if door == "service":
        if expected:
            doors["service"](cast, actor, target)
            if action is Action.REVIEW_TEXT:
                cast._reviewed = True
        else:
            with pytest.raises(PermissionDenied):
                doors["service"](cast, actor, target)
    elif door == "page":
        client = Client()
        if member is not None:
            client.force_login(member)
        response = doors["page"](cast, client, target)
        if not expected:
            assert response.status_code in (302, 403, 200)
            if role == "anonymous":
                assert (
                    response.status_code == 302
                    and "/accounts/login/" in response["Location"]
                )
    else:
        response = doors["api"](cast, api(member), target)
        if not expected:
            assert response.status_code == (401 if role == "anonymous" else 403)
    assert took_effect(cast, target) is expected
