"""What erasing a contact would change: their own fields and the records that are theirs.

A record is theirs when it is about them or from them: the contact itself, a
person account that is no one else, conversations held with them, signals they
sent (by their e-mail address, or on their person account), the replies and
history of those signals, the notifications that carried those signals' words,
and the audit log entries of all of these. Nothing else is read or written, so
another record that happens to share a word with their name is never touched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from purposeful.people.types import Actor
from purposeful.permissions import Action, check
from purposeful.privacy.matching import ERASED, details_pattern, scrub
from purposeful.relationships.models import Account, Contact

ERASED_NAME = "Erased contact"
# values an audit entry may keep for a blanked field: they tell nothing of the person
KEPT_IN_AUDIT = {"", None, "None", ERASED, ERASED_NAME}
AUDIT_FIELDS = ["object_repr", "changes_text", "changes", "additional_data"]


@dataclass(frozen=True)
class FieldChange:
    """One field of one record, as it is and as erasure leaves it."""

    record_type: str
    record_id: int
    record: str
    field: str
    before: str
    after: str


@dataclass
class RecordChange:
    """One of the contact's records and the new values erasure gives its fields.

    ``values`` may be empty: the record is still theirs, so its audit log
    entries are erased of their details all the same.
    """

    instance: models.Model
    values: dict[str, Any]
    # fields emptied outright: every value they held leaves the audit log whole
    blanked: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.instance._meta.label


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _fit(instance: models.Model, name: str, value: Any) -> Any:
    model_field = cast("models.Field[Any, Any]", instance._meta.get_field(name))
    if isinstance(value, str) and getattr(model_field, "max_length", None):
        return value[: model_field.max_length]
    return value


def _change(
    instance: models.Model,
    new: dict[str, Any],
    *,
    blanked: Iterable[str] = (),
) -> RecordChange:
    fitted = {name: _fit(instance, name, value) for name, value in new.items()}
    values = {
        name: value
        for name, value in fitted.items()
        if value != getattr(instance, name)
    }
    return RecordChange(instance, values, set(blanked))


def _scrubbed(
    instance: models.Model, names: list[str], pattern: re.Pattern[str] | None
) -> dict[str, Any]:
    if pattern is None:
        return {}
    return {name: scrub(getattr(instance, name), pattern) for name in names}


def is_their_account(contact: Contact) -> bool:
    """A person account with no one else on it is the contact themselves."""
    account = contact.account
    return (
        account.kind == Account.Kind.PERSON
        and not account.contacts.exclude(pk=contact.pk).exists()
    )


def contact_pattern(contact: Contact) -> re.Pattern[str] | None:
    return details_pattern(name=contact.name, email=contact.email, phone=contact.phone)


def erasure_plan(contact: Contact) -> list[RecordChange]:
    """Every record of ``contact``'s, with what erasure changes; audit log aside."""
    from purposeful.feedback.models import Reply, Signal, SignalEvent
    from purposeful.notifications.models import Notification
    from purposeful.relationships.models import Conversation

    pattern = contact_pattern(contact)
    account = contact.account
    theirs = is_their_account(contact)
    plan: list[RecordChange] = []
    person = {
        "name": ERASED_NAME,
        "email": "",
        "phone": "",
        "notes": "",
        "consents_to_contact": False,
        "consent_recorded_at": None,
    }
    plan.append(_change(contact, person, blanked={"name", "email", "phone", "notes"}))
    if theirs:
        new = _scrubbed(account, ["name", "notes"], pattern)
        if account.name.strip().lower() == contact.name.strip().lower():
            new["name"] = f"Erased customer {account.pk}"
        plan.append(_change(account, new))

    conversations = Q(contact=contact) | (Q(account=account) if theirs else Q(pk=None))
    for conversation in Conversation.objects.filter(conversations).order_by("pk"):
        plan.append(
            _change(conversation, _scrubbed(conversation, ["summary"], pattern))
        )

    sent = Q(pk=None)
    if contact.email:
        sent |= Q(sender_email__iexact=contact.email)
    if theirs:
        sent |= Q(account=account)
    signals = list(Signal.objects.filter(sent).order_by("pk"))
    for signal in signals:
        new = _scrubbed(signal, ["words", "sender_name", "decline_reason"], pattern)
        blanked = set()
        if contact.email and signal.sender_email.lower() == contact.email.lower():
            new.update(sender_name="", sender_email="")
            blanked = {"sender_name", "sender_email"}
        plan.append(_change(signal, new, blanked=blanked))
    for reply in Reply.objects.filter(signal__in=signals).order_by("pk"):
        plan.append(_change(reply, _scrubbed(reply, ["text"], pattern)))
    for event in SignalEvent.objects.filter(signal__in=signals).order_by("pk"):
        plan.append(_change(event, _scrubbed(event, ["note"], pattern)))
    sources = [f"signal:{signal.pk}" for signal in signals]
    for notification in Notification.objects.filter(source__in=sources).order_by("pk"):
        plan.append(
            _change(notification, _scrubbed(notification, ["subject", "body"], pattern))
        )
    return plan


def _audited(records: list[models.Model]) -> Q:
    condition = Q(pk=None)
    by_type: dict[ContentType, list[str]] = {}
    for record in records:
        content_type = ContentType.objects.get_for_model(record)
        by_type.setdefault(content_type, []).append(str(record.pk))
    for content_type, pks in by_type.items():
        condition |= Q(content_type=content_type, object_pk__in=pks)
    return condition


def _erase_values(changes: Any, blanked: set[str]) -> Any:
    """An audit entry's changes with the old and new values of ``blanked`` removed."""
    if not isinstance(changes, dict):
        return changes
    return {
        name: [v if v in KEPT_IN_AUDIT else ERASED for v in values]
        if name in blanked and isinstance(values, list)
        else values
        for name, values in changes.items()
    }


def audit_plan(
    contact: Contact, records: list[RecordChange], pattern: re.Pattern[str] | None
) -> list[RecordChange]:
    """The changes to the audit log entries of ``records``: the details go.

    The entries stay (who changed what, and when); only the details go.
    """
    blanked = {(r.instance._meta.label, str(r.instance.pk)): r.blanked for r in records}
    plan: list[RecordChange] = []
    entries = LogEntry.objects.filter(_audited([r.instance for r in records]))
    for entry in entries.select_related("content_type").order_by("pk"):
        model = entry.content_type.model_class()
        key = (model._meta.label if model else "", entry.object_pk)
        new = _scrubbed(entry, AUDIT_FIELDS, pattern)
        if key[0] == Contact._meta.label and key[1] == str(contact.pk):
            new["object_repr"] = ERASED_NAME
        if blanked.get(key):
            new["changes"] = _erase_values(
                new.get("changes", entry.changes), blanked[key]
            )
            new["changes_text"] = ""
        change = _change(entry, new)
        if change.values:
            plan.append(change)
    return plan


def _field_changes(plan: list[RecordChange]) -> list[FieldChange]:
    return [
        FieldChange(
            record_type=change.label,
            record_id=change.instance.pk,
            record=str(change.instance),
            field=name,
            before=_shown(getattr(change.instance, name)),
            after=_shown(value),
        )
        for change in plan
        for name, value in change.values.items()
    ]


def erasure_preview(*, actor: Actor, contact: Contact) -> list[FieldChange]:
    """Every field erasing ``contact`` would change, before and after; changes nothing."""
    check(actor, Action.ERASE_CONTACT, contact)
    plan = erasure_plan(contact)
    return _field_changes(plan + audit_plan(contact, plan, contact_pattern(contact)))
