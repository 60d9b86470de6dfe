"""Personal data through the API and the pages, for every role."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.privacy.models import Erasure
from purposeful.privacy.schemas import ErasureOut
from purposeful.relationships.models import Contact, Conversation
from tests.api_shapes import output_schema, shape


def _client(member):
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 200), ("outsider", 403), ("steward", 403)],
)
def test_personal_data_export_via_api_by_role(cast, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).get(f"/contacts/{cast.contact.pk}/personal-data")
    assert response.status_code == status
    if status == 200:
        assert response.json()["contact"]["email"] == "ada@example.org"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 201), ("outsider", 403), ("steward", 403)],
)
def test_erasure_via_api_by_role(cast, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).post(
        f"/contacts/{cast.contact.pk}/erase", {"reason": "asked"}
    )
    assert response.status_code == status
    assert Erasure.objects.exists() is (status == 201)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("owner", 200), ("outsider", 403), ("steward", 403)],
)
def test_erasure_preview_via_api_by_role_changes_nothing(cast, api, role, status):
    member = None if role == "anonymous" else cast.by_role(role)
    response = api(member).get(f"/contacts/{cast.contact.pk}/erase")
    assert response.status_code == status
    if status == 200:
        changes = {
            (c["record_type"], c["field"]): c for c in response.json()["changes"]
        }
        email = changes[("relationships.Contact", "email")]
        assert (email["before"], email["after"]) == ("ada@example.org", "")
    assert Contact.objects.get().email == "ada@example.org"
    assert not Erasure.objects.exists()


def test_erase_page_shows_each_change_before_the_member_confirms(cast):
    Conversation.objects.create(
        account=cast.account,
        contact=cast.contact,
        summary="Ada Lindqvist asked about Adam's bike",
    )
    page = _client(cast.owner).get(f"/customers/contacts/{cast.contact.pk}/erase/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "<del>Ada Lindqvist asked about Adam&#x27;s bike</del>" in body
    assert "<ins>[erased] asked about Adam&#x27;s bike</ins>" in body
    assert "<del>ada@example.org</del>" in body
    assert Contact.objects.get().name == "Ada Lindqvist"


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 200), ("outsider", 403), ("steward", 403)]
)
def test_personal_data_file_on_the_page_by_role(cast, role, status):
    response = _client(cast.by_role(role)).get(
        f"/customers/contacts/{cast.contact.pk}/personal-data.json"
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "erased"), [("owner", True), ("outsider", False), ("steward", False)]
)
def test_erase_page_by_role(cast, role, erased):
    contact = cast.contact
    response = _client(cast.by_role(role)).post(
        f"/customers/contacts/{contact.pk}/erase/", {"confirm": "yes"}
    )
    assert response.status_code == (302 if erased else 403)
    contact.refresh_from_db()
    assert (contact.email == "") is erased


def test_erase_page_asks_for_confirmation_and_keeps_the_reason(cast):
    response = _client(cast.owner).post(
        f"/customers/contacts/{cast.contact.pk}/erase/", {"reason": "asked by phone"}
    )
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert 'value="asked by phone"' in response.content.decode()
    assert Contact.objects.get().email == "ada@example.org"


def test_erasure_list_shows_the_record_without_the_data(cast):
    _client(cast.owner).post(
        f"/customers/contacts/{cast.contact.pk}/erase/", {"confirm": "yes"}
    )
    page = _client(cast.outsider).get("/privacy/erasures/").content.decode()
    assert "Riverside Bakery" in page
    assert "Ada Lindqvist" not in page


def test_an_erasure_keeps_its_fields_now_read_from_the_model(cast, api):
    """Clients see the same keys, types and nulls; lengths come from the model."""
    contact = cast.contact
    body = api(cast.owner).post(f"/contacts/{contact.pk}/erase", {}).json()
    assert {key: value for key, value in body.items() if key != "changed"} == {
        "id": Erasure.objects.get().pk,
        "contact_id": contact.pk,
        "account": contact.account_id,
        "team": cast.team.pk,
        "erased_at": body["erased_at"],
        "reason": "",
    }
    assert isinstance(body["erased_at"], str)
    assert set(shape(body["changed"]).values()) == {"int"}
    # Built from the model (whose only text field may be blank, so is typed here)
    assert ErasureOut.Meta.model is Erasure
    assert "id" in output_schema("ErasureOut")["required"]
