"""Personal data of a contact: everything we hold about them, and erasing it.

Erasure rewrites the contact's name, e-mail and phone wherever they appear —
other records' text, e-mail logs, the audit log — and keeps the anonymous
rest (signals, conversations, counts). The rewrite walks every text column of
every table, so a part added later is covered without changes here.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from purposeful.permissions import Action, check
from purposeful.privacy.models import Erasure
from purposeful.relationships.models import Account, Contact

ERASED = "[erased]"
ERASED_NAME = "Erased contact"
# Tables that hold no customer data or must not be rewritten.
SKIPPED_APPS = {
    "contenttypes",
    "sessions",
    "migrations",
    "axes",
    "django_tasks_database",
}
SKIPPED_MODELS = {Erasure}
MIN_LENGTH = 3


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def contact_personal_data(*, actor: Any, contact: Contact) -> dict[str, Any]:
    """Everything held about one contact, as a machine-readable document."""
    from purposeful.feedback.models import Signal

    check(actor, Action.EXPORT_PERSONAL_DATA, contact)
    account = contact.account
    signal_filter = Q(account=account)
    if contact.email:
        signal_filter |= Q(sender_email__iexact=contact.email)
    signals = (
        Signal.objects.filter(signal_filter).prefetch_related("replies").order_by("pk")
    )
    return {
        "format": "purposeful.personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "contact": {
            "id": contact.pk,
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
            "notes": contact.notes,
            "consents_to_contact": contact.consents_to_contact,
            "consent_recorded_at": _when(contact.consent_recorded_at),
            "created_at": _when(contact.created_at),
        },
        "account": {
            "id": account.pk,
            "name": account.name,
            "kind": account.kind,
            "team": account.team.name,
        },
        "conversations": [
            {
                "id": c.pk,
                "kind": c.kind,
                "happened_at": _when(c.happened_at),
                "summary": c.summary,
                "with_this_contact": c.contact_id == contact.pk,
            }
            for c in account.conversations.order_by("happened_at", "pk")
        ],
        "signals": [
            {
                "id": s.pk,
                "kind": s.kind,
                "source": s.source,
                "state": s.state,
                "words": s.words,
                "sender_name": s.sender_name,
                "sender_email": s.sender_email,
                "created_at": _when(s.created_at),
                "replies": [
                    {"text": r.text, "created_at": _when(r.created_at)}
                    for r in s.replies.all()
                ],
            }
            for s in signals
        ],
    }


def _erased_values(contact: Contact) -> list[str]:
    values = [contact.name, contact.email, contact.phone]
    return sorted(
        {v.strip() for v in values if v and len(v.strip()) >= MIN_LENGTH},
        key=len,
        reverse=True,
    )


def _rewrite(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_rewrite(v, pattern) for v in value]
    if isinstance(value, dict):
        return {_rewrite(k, pattern): _rewrite(v, pattern) for k, v in value.items()}
    return value


def text_columns() -> list[tuple[type[models.Model], models.Field]]:
    """Every text-holding column of every table that may hold customer data."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in SKIPPED_APPS or model in SKIPPED_MODELS:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(
                field, models.CharField | models.TextField | models.JSONField
            ):
                if field.primary_key or field.choices:
                    continue
                found.append((model, field))
    return found


def _scrub_everywhere(values: list[str]) -> dict[str, int]:
    """Rewrite every occurrence of ``values`` in every text column; counts per table."""
    pattern = re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE)
    changed: dict[str, int] = {}
    for model, field in text_columns():
        condition = Q()
        for value in values:
            condition |= Q(**{f"{field.attname}__icontains": value})
        manager = model._base_manager
        for pk, current in (
            manager.filter(condition).values_list("pk", field.attname).iterator()
        ):
            new = _rewrite(current, pattern)
            if isinstance(field, models.CharField) and field.max_length:
                new = new[: field.max_length]
            if new != current:
                # update(): no save signals, so the audit log records no old values
                manager.filter(pk=pk).update(**{field.attname: new})
                label = model._meta.label
                changed[label] = changed.get(label, 0) + 1
    return changed


@transaction.atomic
def contact_erase(*, actor: Any, contact: Contact, reason: str = "") -> Erasure:
    """Erase a contact's personal data everywhere; keep the anonymous records."""
    from purposeful.feedback.models import Signal

    check(actor, Action.ERASE_CONTACT, contact)
    if contact.name == ERASED_NAME and not contact.email and not contact.phone:
        raise ValidationError("This contact was already erased.")
    values = _erased_values(contact)
    account = contact.account
    # The fields that are the person: blanked, not just rewritten.
    Contact.objects.filter(pk=contact.pk).update(
        name=ERASED_NAME,
        email="",
        phone="",
        notes="",
        consents_to_contact=False,
        consent_recorded_at=None,
    )
    if contact.email:
        Signal.objects.filter(sender_email__iexact=contact.email).update(
            sender_name="", sender_email=""
        )
    if (
        account.kind == Account.Kind.PERSON
        and account.name.strip().lower() == contact.name.strip().lower()
    ):
        Account.objects.filter(pk=account.pk).update(
            name=f"Erased customer {account.pk}"
        )
    changed = _scrub_everywhere(values) if values else {}
    contact.refresh_from_db()
    return Erasure.objects.create(
        contact_id=contact.pk,
        account=account,
        team=account.team,
        erased_by=actor,
        reason=reason[:200],
        changed=changed,
    )
