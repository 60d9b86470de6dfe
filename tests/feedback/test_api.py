"""The feedback API: inbox triage by the owning team; the public form and its link."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from purposeful.feedback import services, spam
from purposeful.feedback.models import Signal
from tests.api_shapes import output_schema, shape


def _fields(response) -> list:
    """The fields an API error names."""
    return [problem["field"] for problem in response.json()["detail"]]


ROLES = ["anonymous", "owner", "outsider", "steward"]

API_WRITES = {
    "signal.record": (
        "post",
        lambda c: "/signals",
        lambda c: {"team": c.team.pk, "kind": "need", "words": "Winter tyres?"},
        {"anonymous": 401, "owner": 201, "outsider": 201, "steward": 201},
    ),
    "signal.transition": (
        "post",
        lambda c: f"/signals/{c.signal.pk}/transitions",
        lambda c: {"to": "acknowledged"},
        {"anonymous": 401, "owner": 200, "outsider": 403, "steward": 403},
    ),
    "signal.assign": (
        "patch",
        lambda c: f"/signals/{c.signal.pk}",
        lambda c: {"assignee": "owner", "tags": ["brakes"]},
        {"anonymous": 401, "owner": 200, "outsider": 403, "steward": 403},
    ),
    "signal.reply": (
        "post",
        lambda c: f"/signals/{c.signal.pk}/replies",
        lambda c: {"text": "We will look at it tomorrow."},
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "signal.merge": (
        "post",
        lambda c: f"/signals/{c.signal.pk}/merge",
        lambda c: {"into": Signal.objects.create(team=c.team, words="Same brakes").pk},
        {"anonymous": 401, "owner": 200, "outsider": 403, "steward": 403},
    ),
    "feedback.configure": (
        "patch",
        lambda c: "/feedback/settings",
        lambda c: {"general_team": c.team.pk},
        {"anonymous": 401, "owner": 403, "outsider": 403, "steward": 200},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(API_WRITES))
def test_api_write_matrix(cast, api, name, role):
    method, path, data, expected = API_WRITES[name]
    client = api(None if role == "anonymous" else cast.by_role(role))
    response = getattr(client, method)(path(cast), data(cast))
    assert response.status_code == expected[role], response.content[:300]
    if response.status_code >= 400:
        assert "detail" in response.json()


def test_refused_triage_leaves_the_signal_new(cast, api):
    response = api(cast.outsider).post(
        f"/signals/{cast.signal.pk}/transitions", {"to": "done"}
    )
    assert response.json() == {
        "error": "Only members of Workshop can triage its inbox.",
        "detail": [],
    }
    assert Signal.objects.get(pk=cast.signal.pk).state == "new"


def test_invalid_transition_is_a_400(cast, api):
    response = api(cast.owner).post(
        f"/signals/{cast.signal.pk}/transitions", {"to": "declined"}
    )
    assert response.status_code == 400
    assert "reason" in _fields(response)


def test_inbox_listing_filters_by_team_and_state(cast, api):
    Signal.objects.create(team=cast.other_team, words="elsewhere")
    Signal.objects.create(team=cast.team, words="done one", state="done")
    assert cast.signal.pk
    data = (
        api(cast.outsider)
        .get(f"/signals?team={cast.team.pk}&state=open")
        .json()["items"]
    )
    assert [s["words"] for s in data] == ["The brakes squeak again."]
    found = api(cast.outsider).get("/signals?q=elsewhere").json()["items"]
    assert [s["words"] for s in found] == ["elsewhere"]


def test_public_submission_and_follow_up_close_the_loop(cast, api, settings):
    services.settings_update(actor=cast.steward, general_team=cast.team)
    anonymous = api(None)
    token = anonymous.get("/feedback/form").json()["started"]
    # a person takes a few seconds; the test signs a start time in the past
    started = spam.started_token(time.time() - 10)
    assert token
    mail.outbox.clear()
    created = anonymous.post(
        "/feedback",
        {
            "words": "Can you fix a Brompton hub?",
            "email": "sam@example.net",
            "started": started,
        },
    )
    assert created.status_code == 201, created.content
    key = created.json()["key"]
    assert created.json()["team"] == "Workshop"
    signal = Signal.objects.get()
    api(cast.owner).post(f"/signals/{signal.pk}/transitions", {"to": "acknowledged"})
    api(cast.owner).post(f"/signals/{signal.pk}/replies", {"text": "Yes, we can."})
    follow = anonymous.get(f"/feedback/{key}").json()
    assert follow["state"] == "acknowledged"
    assert [r["text"] for r in follow["replies"]] == ["Yes, we can."]
    assert "account" not in follow and "sender_email" not in follow
    assert len(mail.outbox) == 2  # the private link, then the reply


def test_public_submission_through_the_api_is_time_trapped(cast, api):
    started = api(None).get("/feedback/form").json()["started"]
    response = api(None).post("/feedback", {"words": "spam", "started": started})
    assert response.status_code == 400
    assert not Signal.objects.exists()


def test_public_submission_honeypot_refuses(cast, api):
    response = api(None).post(
        "/feedback",
        {
            "words": "spam",
            "started": spam.started_token(time.time() - 10),
            "website": "x",
        },
    )
    assert response.status_code == 400
    assert not Signal.objects.exists()


def test_public_submission_rate_limit_is_429(cast, api, settings):
    settings.FEEDBACK_RATE_LIMIT = (1, 3600)
    data = {"words": "hello", "started": spam.started_token(time.time() - 10)}
    assert api(None).post("/feedback", data).status_code == 201
    assert api(None).post("/feedback", data).status_code == 429


def test_unknown_follow_key_is_404(cast, api):
    assert api(None).get("/feedback/nothing-here").status_code == 404


def test_the_api_says_when_the_link_to_a_customer_is_unverified(cast, api):
    from purposeful.relationships.models import Contact

    services.settings_update(actor=cast.steward, general_team=cast.team)
    Contact.objects.create(account=cast.account, name="Ana", email="ana@bakery.example")
    created = api(None).post(
        "/feedback",
        {
            "words": "Where is my bike?",
            "email": "ana@bakery.example",
            "started": spam.started_token(time.time() - 10),
        },
    )
    assert created.status_code == 201, created.content
    signal = Signal.objects.get()
    answer = api(cast.owner).get(f"/signals/{signal.pk}").json()
    assert answer["account"] == cast.account.pk
    assert answer["account_verified"] is False
    assert api(cast.owner).get(f"/signals/{cast.signal.pk}").json()["account_verified"]


SIGNAL_SHAPE = {
    "id": "int",
    "team": "int",
    "kind": "str",
    "source": "str",
    "state": "str",
    "words": "str",
    "account": "int",
    "account_verified": "bool",
    "offer": "str",
    "sender_name": "str",
    "sender_email": "str",
    "assignee": "str",
    "tags": ["str"],
    "decline_reason": "str",
    "merged_into": "null",
    "version": "str",
    "created_at": "str",
    "updated_at": "str",
}
REPLY_SHAPE = {
    "id": "int",
    "author": "str",
    "text": "str",
    "created_at": "str",
    "emailed_at": "null",
}
EVENT_SHAPE = {
    "kind": "str",
    "state": "str",
    "note": "str",
    "actor": "str",
    "created_at": "str",
}


def test_signals_and_replies_keep_their_fields_now_read_from_the_model(cast, api):
    """Clients see the same keys, types and nulls; help comes from the model."""
    client = api(cast.owner)
    new = {
        "team": cast.team.pk,
        "kind": "need",
        "words": "Winter tyres?",
        "account": cast.account.pk,
        "offer": cast.offer.slug,
        "tags": ["tyres"],
    }
    created = client.post("/signals", new).json()
    signal_id = created["id"]
    assert shape(created["events"])[0] == {**EVENT_SHAPE, "state": "str"}
    bare = {
        **SIGNAL_SHAPE,
        "assignee": "null",
        "events": "list",
        "replies": [],
        "duplicates": [],
    }
    assert {**shape(created), "events": "list"} == bare
    client.patch(f"/signals/{signal_id}", {"assignee": "owner"})
    reply = client.post(f"/signals/{signal_id}/replies", {"text": "Soon."}).json()
    assert shape(reply) == REPLY_SHAPE
    client.post(f"/signals/{signal_id}/transitions", {"to": "acknowledged"})
    duplicate = Signal.objects.create(team=cast.team, words="Tyres for winter")
    merged = client.post(f"/signals/{duplicate.pk}/merge", {"into": signal_id}).json()
    assert merged["id"] == signal_id
    detail = client.get(f"/signals/{signal_id}").json()
    assert {**shape(detail), "events": "list"} == {
        **SIGNAL_SHAPE,
        "state": "str",
        "events": "list",
        "replies": [REPLY_SHAPE],
        "duplicates": ["int"],
    }
    assert detail["duplicates"] == [duplicate.pk]
    assert all(shape(event).keys() == EVENT_SHAPE.keys() for event in detail["events"])
    assert merged == {**detail, "version": merged["version"]}
    listed = client.get(f"/signals?team={cast.team.pk}").json()["items"]
    by_id = {item["id"]: item for item in listed}
    assert shape(by_id[signal_id]) == SIGNAL_SHAPE
    merged_away = client.get(f"/signals/{duplicate.pk}").json()
    assert {**shape(merged_away), "events": "list"} == {
        **SIGNAL_SHAPE,
        "events": "list",
        "replies": [],
        "duplicates": [],
        "account": "null",
        "offer": "null",
        "assignee": "null",
        "tags": [],
        "merged_into": "int",
    }
    # Built from the model, the document states the model's help.
    words = output_schema("SignalOut")["properties"]["words"]
    assert "customer's words" in words["title"].lower()
