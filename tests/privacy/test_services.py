"""Personal data: a contact's export, and erasure that leaves no trace of them."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.test import Client

from purposeful.exchange import services as exchange
from purposeful.feedback.models import Signal
from purposeful.feedback.services import signal_record, signal_reply
from purposeful.notifications.models import Notification
from purposeful.privacy import services
from purposeful.privacy.models import Erasure
from purposeful.relationships import services as relationships

NAME, EMAIL, PHONE = "Ada Lindqvist", "ada.lindqvist@example.org", "+46 70 555 0199"


@pytest.fixture
def ada(cast):
    account = relationships.account_create(
        actor=cast.owner, team=cast.team, name="Riverside Bakery"
    )
    contact = relationships.contact_create(
        actor=cast.owner, account=account, name=NAME, email=EMAIL, phone=PHONE,
        notes="Prefers mornings",
    )  # fmt: skip
    relationships.conversation_log(
        actor=cast.owner, account=account, contact=contact, kind="call",
        summary=f"Called {NAME} about the cargo bike; reach her at {PHONE}.",
    )  # fmt: skip
    signal = signal_record(
        actor=cast.owner, team=cast.team, kind="need", account=account,
        words=f"{NAME} asks whether we rent cargo bikes.",
    )  # fmt: skip
    Signal.objects.filter(pk=signal.pk).update(sender_name=NAME, sender_email=EMAIL)
    signal_reply(actor=cast.owner, signal=signal, text=f"Dear {NAME}, yes we do.")
    Notification.objects.create(
        member=cast.owner, topic="signals", source=f"signal:{signal.pk}",
        subject=f"{NAME} wrote", body=f"{NAME} <{EMAIL}>", delivery="digest",
    )  # fmt: skip
    return contact


def _every_text_value():
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields or model._meta.app_label in {"sessions", "contenttypes"}:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                yield (
                    model._meta.label,
                    json.dumps(value, ensure_ascii=False)
                    if not isinstance(value, str)
                    else value,
                )


def test_personal_data_export_holds_the_contact_and_what_they_said(cast, ada):
    data = services.contact_personal_data(actor=cast.owner, contact=ada)
    assert data["contact"]["email"] == EMAIL
    assert data["conversations"][0]["with_this_contact"] is True
    assert NAME in data["signals"][0]["words"]
    assert data["signals"][0]["replies"][0]["text"].startswith("Dear")
    json.dumps(data)


def test_erasure_leaves_no_trace_in_any_text_column_or_export(cast, ada):
    signal_count = Signal.objects.count()
    services.contact_erase(actor=cast.owner, contact=ada)
    for table, value in _every_text_value():
        for erased in (NAME, EMAIL, PHONE):
            assert erased.lower() not in (value or "").lower(), (table, value)
    for kind in ("accounts", "contacts", "signals", "conversations"):
        for fmt in ("csv", "json"):
            text = "".join(exchange.export_chunks(actor=cast.owner, kind=kind, fmt=fmt))
            assert NAME not in text and EMAIL not in text and PHONE not in text
    assert Signal.objects.count() == signal_count


def test_erasure_leaves_no_trace_in_pages_api_or_search(cast, ada, api):
    account = ada.account
    services.contact_erase(actor=cast.owner, contact=ada)
    client = Client()
    client.force_login(cast.outsider)
    pages = [
        account.get_absolute_url(),
        f"/inbox/search/?q={NAME.split()[0]}",
        f"/inbox/search/?q={EMAIL}",
        "/customers/",
        f"/customers/?q={NAME.split()[0]}",
    ]
    for signal in Signal.objects.all():
        pages.append(signal.get_absolute_url())
    for url in pages:
        body = client.get(url).content.decode()
        # the search form shows back what was typed; the results must not
        body = body.replace(f'value="{EMAIL}"', "")
        assert NAME not in body and EMAIL not in body and PHONE not in body, url
    for path in ("/accounts", f"/accounts/{account.pk}", "/signals", "/audit"):
        body = api(cast.outsider).get(path).content.decode()
        assert NAME not in body and EMAIL not in body, path


def test_erasure_is_recorded_without_the_personal_data(cast, ada):
    erasure = services.contact_erase(
        actor=cast.owner, contact=ada, reason="asked by e-mail"
    )
    assert Erasure.objects.get() == erasure
    assert erasure.erased_by == cast.owner
    assert erasure.changed["relationships.Conversation"] == 1
    assert NAME not in json.dumps(erasure.changed)


def test_erased_contact_cannot_be_erased_twice(cast, ada):
    services.contact_erase(actor=cast.owner, contact=ada)
    ada.refresh_from_db()
    with pytest.raises(ValidationError, match="already erased"):
        services.contact_erase(actor=cast.owner, contact=ada)


@pytest.mark.parametrize("role", ["outsider", "steward", "anonymous"])
def test_only_the_owning_team_erases_or_exports_a_contact(cast, ada, role):
    with pytest.raises(PermissionDenied):
        services.contact_erase(actor=cast.by_role(role), contact=ada)
    with pytest.raises(PermissionDenied):
        services.contact_personal_data(actor=cast.by_role(role), contact=ada)
