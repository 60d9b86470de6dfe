"""The customers API: every member reads; the owning team writes; JSON errors."""

from __future__ import annotations

import pytest

from purposeful.organisation.models import Ally
from purposeful.relationships.models import Account, Contact, Handover, Referral
from tests.api_shapes import output_schema, shape


def _fields(response) -> list:
    """The fields an API error names."""
    return [problem["field"] for problem in response.json()["detail"]]


ROLES = ["anonymous", "owner", "outsider", "steward"]

# name: (method, path builder, data builder, {role: status})
API_WRITES = {
    "account.create": (
        "post",
        lambda c: "/accounts",
        lambda c: {"team": c.team.pk, "name": "Harbour Café"},
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "account.change": (
        "patch",
        lambda c: f"/accounts/{c.account.pk}",
        lambda c: {"notes": "Prefers calls in the morning."},
        {"anonymous": 401, "owner": 200, "outsider": 403, "steward": 403},
    ),
    "contact.create": (
        "post",
        lambda c: f"/accounts/{c.account.pk}/contacts",
        lambda c: {"name": "Ana", "email": "ana@example.net"},
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "conversation.log": (
        "post",
        lambda c: f"/accounts/{c.account.pk}/conversations",
        lambda c: {"kind": "visit", "summary": "Checked their fleet."},
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "referral.create": (
        "post",
        lambda c: f"/accounts/{c.account.pk}/referrals",
        lambda c: {
            "ally": Ally.objects.create(name="Pedal Post").pk,
            "reason": "Courier.",
        },
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "handover.propose": (
        "post",
        lambda c: f"/accounts/{c.account.pk}/handovers",
        lambda c: {"to_team": c.other_team.pk, "reason": "A course fits better."},
        {"anonymous": 401, "owner": 201, "outsider": 403, "steward": 403},
    ),
    "handover.accept": (
        "post",
        lambda c: f"/handovers/{c.incoming_handover.pk}/accept",
        lambda c: {"response": "Welcome"},
        {"anonymous": 401, "owner": 200, "outsider": 403, "steward": 403},
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


@pytest.mark.parametrize("role", ["owner", "outsider", "steward"])
def test_every_member_reads_accounts_and_timelines(cast, api, role):
    assert cast.account.pk
    client = api(cast.by_role(role))
    listing = client.get("/accounts")
    assert listing.status_code == 200
    assert [a["name"] for a in listing.json()["items"]] == ["Riverside Bakery"]
    assert client.get(f"/accounts/{cast.account.pk}/timeline").status_code == 200


def test_anonymous_cannot_read_accounts(cast, api):
    assert cast.account.pk
    assert api(None).get("/accounts").status_code == 401
    assert api(None).get(f"/accounts/{cast.account.pk}").status_code == 401


def test_refused_write_changes_nothing_and_names_the_team(cast, api):
    response = api(cast.outsider).patch(f"/accounts/{cast.account.pk}", {"name": "X"})
    assert response.json() == {
        "error": "Only members of Workshop can change its customers' records.",
        "detail": [],
    }
    assert Account.objects.get(pk=cast.account.pk).name == "Riverside Bakery"


def test_invalid_contact_email_is_a_400_with_the_field(cast, api):
    response = api(cast.owner).post(
        f"/accounts/{cast.account.pk}/contacts", {"name": "Ana", "email": "nope"}
    )
    assert response.status_code == 400
    assert "email" in _fields(response)
    assert not Contact.objects.exists()


def test_timeline_lists_what_happened_newest_first(cast, api):
    client = api(cast.owner)
    client.post(
        f"/accounts/{cast.account.pk}/conversations",
        {
            "kind": "call",
            "summary": "First call",
            "happened_at": "2024-01-01T10:00:00Z",
        },
    )
    client.post(
        f"/accounts/{cast.account.pk}/conversations",
        {
            "kind": "visit",
            "summary": "Later visit",
            "happened_at": "2024-02-01T10:00:00Z",
        },
    )
    timeline = client.get(f"/accounts/{cast.account.pk}/timeline").json()["items"]
    assert [e["text"] for e in timeline] == ["Later visit", "First call"]


def test_handover_through_the_api_moves_the_account(cast, api):
    created = api(cast.owner).post(
        f"/accounts/{cast.account.pk}/handovers",
        {"to_team": cast.other_team.pk, "reason": "Courses."},
    )
    handover_id = created.json()["id"]
    accepted = api(cast.outsider).post(f"/handovers/{handover_id}/accept", {})
    assert accepted.json()["state"] == Handover.State.ACCEPTED
    detail = api(cast.owner).get(f"/accounts/{cast.account.pk}").json()
    assert detail["team"] == cast.other_team.pk


def test_ally_referral_count_is_inside_only(cast, api):
    ally = Ally.objects.create(name="Open Bike Kitchen")
    api(cast.owner).post(
        f"/accounts/{cast.account.pk}/referrals", {"ally": ally.pk, "reason": "DIY"}
    )
    assert api(None).get(f"/allies/{ally.pk}/referrals").status_code == 401
    data = api(cast.outsider).get(f"/allies/{ally.pk}/referrals").json()
    assert (
        data["count"] == 1 and data["referrals"][0]["ally_name"] == "Open Bike Kitchen"
    )


def test_a_contact_keeps_its_fields_now_read_from_the_model(cast, api):
    contact = cast.contact
    listed = api(cast.owner).get(f"/accounts/{cast.account.pk}/contacts").json()
    assert listed["items"] == [
        {
            "id": contact.pk,
            "account": cast.account.pk,
            "name": "Ada Lindqvist",
            "email": "ada@example.org",
            "phone": "",
            "notes": "",
            "consents_to_contact": False,
            "consent_recorded_at": None,
        }
    ]
    detail = api(cast.owner).get(f"/accounts/{cast.account.pk}").json()
    assert detail["contacts"] == listed["items"]


ACCOUNT_SHAPE = {
    "id": "int",
    "name": "str",
    "kind": "str",
    "team": "int",
    "team_name": "str",
    "notes": "str",
    "created_at": "str",
    "updated_at": "str",
}


def test_accounts_conversations_handovers_and_referrals_keep_their_fields(cast, api):
    """Clients see the same keys, types and nulls now read from the models."""
    client = api(cast.owner)
    created = client.post("/accounts", {"team": cast.team.pk, "name": "Harbour"})
    account_id = created.json()["id"]
    detail_shape = {
        **ACCOUNT_SHAPE,
        "people_to_talk_to": [],
        "contacts": [],
        "open_handover": "null",
    }
    assert shape(created.json()) == detail_shape
    listed = client.get(f"/accounts?team={cast.team.pk}").json()["items"]
    assert shape(listed) == [ACCOUNT_SHAPE]

    conversation = client.post(
        f"/accounts/{account_id}/conversations", {"summary": "Called about tyres."}
    ).json()
    conversation_shape = {
        "id": "int",
        "account": "int",
        "kind": "str",
        "member": "str",
        "contact": "null",
        "happened_at": "str",
        "summary": "str",
    }
    assert shape(conversation) == conversation_shape
    conversations = client.get(f"/accounts/{account_id}/conversations").json()
    assert shape(conversations["items"]) == [conversation_shape]

    ally = Ally.objects.create(name="Pedal Post")
    referral_shape = {
        "id": "int",
        "account": "int",
        "ally": "int",
        "ally_name": "str",
        "reason": "str",
        "referred_by": "str",
        "created_at": "str",
    }
    referral = client.post(
        f"/accounts/{account_id}/referrals", {"ally": ally.pk, "reason": "DIY"}
    ).json()
    assert shape(referral) == referral_shape
    referrals = client.get(f"/accounts/{account_id}/referrals").json()["items"]
    assert shape(referrals) == [referral_shape]
    by_ally = client.get(f"/allies/{ally.pk}/referrals").json()
    assert shape(by_ally) == {
        "ally": "int",
        "name": "str",
        "count": "int",
        "referrals": [referral_shape],
    }

    handover_shape = {
        "id": "int",
        "account": "int",
        "from_team": "int",
        "to_team": "int",
        "reason": "str",
        "state": "str",
        "proposed_by": "str",
        "proposed_at": "str",
        "decided_by": "null",
        "decided_at": "null",
        "response": "str",
    }
    handover = client.post(
        f"/accounts/{account_id}/handovers",
        {"to_team": cast.other_team.pk, "reason": "They fix cargo bikes."},
    ).json()
    assert shape(handover) == handover_shape
    listed_handovers = client.get("/handovers").json()["items"]
    assert shape(listed_handovers) == [handover_shape]
    with_handover = client.get(f"/accounts/{account_id}").json()
    assert with_handover["open_handover"] == handover["id"]
    accepted = api(cast.outsider).post(f"/handovers/{handover['id']}/accept", {})
    assert shape(accepted.json()) == {
        **handover_shape,
        "decided_by": "str",
        "decided_at": "str",
    }
    # Built from the model, the document states the model's limits and help.
    assert output_schema("AccountOut")["properties"]["name"]["maxLength"] == 200
    reason = output_schema("ReferralOut")["properties"]["reason"]
    assert reason["description"] == Referral._meta.get_field("reason").help_text
