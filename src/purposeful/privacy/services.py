"""Personal data of a contact: everything we hold about them, and erasing it.

Erasure empties the contact's own fields and replaces their name, e-mail and
phone, as whole words, inside the records that are theirs (see
``selectors``); it keeps the anonymous rest (signals, conversations, counts).
Records of anyone else are never read for it, let alone rewritten.
"""

from __future__ import annotations

import contextvars
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in
from purposeful.privacy import selectors
from purposeful.privacy.models import Erasure
from purposeful.privacy.selectors import ERASED_NAME, RecordChange
from purposeful.relationships.models import Contact


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def contact_personal_data(*, actor: Actor, contact: Contact) -> dict[str, Any]:
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


def contact_erase(*, actor: Actor, contact: Contact, reason: str = "") -> Erasure:
    """Erase a contact's details from them and from their records; keep the rest.

    Exactly the records :func:`selectors.erasure_preview` lists change, through
    the ORM so the audit log records each write, all in one transaction.
    """
    check(actor, Action.ERASE_CONTACT, contact)
    # The audit log names the member who erased, from the CLI too; in a context
    # of its own, so the request's own audit context is left as it was.
    return contextvars.copy_context().run(_erase, actor, contact, reason)


@transaction.atomic
def _erase(actor: Actor, contact: Contact, reason: str) -> Erasure:
    with set_actor(actor):
        contact = (
            Contact.objects.select_for_update()
            .select_related("account__team")
            .get(pk=contact.pk)
        )
        if contact.name == ERASED_NAME and not contact.email and not contact.phone:
            raise ValidationError("This contact was already erased.")
        pattern = selectors.contact_pattern(contact)
        account = contact.account
        plan = selectors.erasure_plan(contact)
        changed: dict[str, int] = {}
        for change in plan:
            if change.values:
                _apply(change)
                changed[change.label] = changed.get(change.label, 0) + 1
        # After the writes, so the entries they just added lose the details too.
        for change in selectors.audit_plan(contact, plan, pattern):
            _apply(change)
            changed[change.label] = changed.get(change.label, 0) + 1
        return Erasure.objects.create(
            contact_id=contact.pk,
            account=account,
            team=account.team,
            erased_by=signed_in(actor),
            reason=reason[:200],
            changed=changed,
        )


def _apply(change: RecordChange) -> None:
    for name, value in change.values.items():
        setattr(change.instance, name, value)
    change.instance.save(update_fields=list(change.values))
