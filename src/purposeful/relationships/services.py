"""Every write to accounts, contacts, conversations, hand-overs and referrals.

Each function checks permission first; views, the API and the demo call these,
so they all behave the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from purposeful import events
from purposeful.organisation.models import Ally, Team
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in
from purposeful.relationships.models import (
    Account,
    Contact,
    Conversation,
    Handover,
    Referral,
)

if TYPE_CHECKING:
    from purposeful.people.models import Member

ACCOUNT_FIELDS = {"name", "kind", "notes"}
CONTACT_FIELDS = {"name", "email", "phone", "notes", "consents_to_contact"}


def _touch(account: Account, when: datetime | None = None) -> None:
    account.updated_at = when or timezone.now()
    Account.objects.filter(pk=account.pk).update(updated_at=account.updated_at)


def account_create(
    *,
    actor: Actor,
    team: Team,
    name: str,
    kind: str = Account.Kind.ORGANISATION,
    notes: str = "",
) -> Account:
    """A team takes on a customer; the team, not a person, owns the account."""
    check(actor, Action.CREATE_ACCOUNT, team)
    account = Account(team=team, name=name.strip(), kind=kind, notes=notes.strip())
    account.full_clean()
    account.save()
    return account


def account_update(*, actor: Actor, account: Account, **fields: Any) -> Account:
    check(actor, Action.CHANGE_ACCOUNT, account)
    unknown = set(fields) - ACCOUNT_FIELDS
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(account, name, value.strip() if isinstance(value, str) else value)
    account.updated_at = timezone.now()
    account.full_clean()
    account.save()
    return account


def contact_create(
    *,
    actor: Actor,
    account: Account,
    name: str,
    email: str = "",
    phone: str = "",
    notes: str = "",
    consents_to_contact: bool = False,
) -> Contact:
    check(actor, Action.CHANGE_ACCOUNT, account)
    contact = Contact(
        account=account,
        name=name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        notes=notes.strip(),
        consents_to_contact=consents_to_contact,
        consent_recorded_at=timezone.now() if consents_to_contact else None,
    )
    contact.full_clean()
    contact.save()
    _touch(account)
    return contact


def contact_update(*, actor: Actor, contact: Contact, **fields: Any) -> Contact:
    check(actor, Action.CHANGE_ACCOUNT, contact)
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}")
    had_consent = contact.consents_to_contact
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.email = contact.email.lower()
    if contact.consents_to_contact != had_consent:
        # When consent was given (or withdrawn) is part of the record.
        contact.consent_recorded_at = timezone.now()
    contact.full_clean()
    contact.save()
    return contact


def contact_delete(*, actor: Actor, contact: Contact) -> None:
    check(actor, Action.CHANGE_ACCOUNT, contact)
    contact.delete()


def conversation_log(
    *,
    actor: Actor,
    account: Account,
    kind: str,
    summary: str,
    happened_at: datetime | None = None,
    contact: Contact | None = None,
    member: Member | None = None,
) -> Conversation:
    """Record a call, visit, e-mail or meeting with the customer."""
    check(actor, Action.CHANGE_ACCOUNT, account)
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError(
            {"contact": "This person is not a contact of this customer."}
        )
    happened_at = happened_at or timezone.now()
    if happened_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(
            {"happened_at": "A conversation cannot be in the future."}
        )
    conversation = Conversation(
        account=account,
        kind=kind,
        summary=summary.strip(),
        happened_at=happened_at,
        contact=contact,
        member=member or signed_in(actor),
    )
    conversation.full_clean()
    conversation.save()
    _touch(account)
    return conversation


@transaction.atomic
def handover_propose(
    *, actor: Actor, account: Account, to_team: Team, reason: str
) -> Handover:
    """The owning team proposes that another team takes the customer on."""
    check(actor, Action.PROPOSE_HANDOVER, account)
    if to_team.pk == account.team_id:
        raise ValidationError({"to_team": f"{to_team} already owns this customer."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the other team is a better home."})
    handover = Handover(
        account=account,
        from_team=account.team,
        to_team=to_team,
        reason=reason.strip(),
        proposed_by=signed_in(actor),
    )
    handover.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError:
        raise ValidationError(
            "A hand-over of this customer is already waiting for an answer."
        ) from None
    events.emit(events.HandoverChanged(handover))
    return handover


def _decide(handover: Handover, *, actor: Actor, state: str, response: str) -> None:
    if not handover.is_open:
        raise ValidationError(
            f"This hand-over is already {handover.get_state_display().lower()}."
        )
    handover.response = response.strip()
    handover.decide(state, by=actor, also=("response",))
    events.emit(events.HandoverChanged(handover))


@transaction.atomic
def handover_accept(
    *, actor: Actor, handover: Handover, response: str = ""
) -> Handover:
    """The receiving team takes the customer on; the account moves to it."""
    check(actor, Action.ACCEPT_HANDOVER, handover)
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    _decide(handover, actor=actor, state=Handover.State.ACCEPTED, response=response)
    account = handover.account
    if account.team_id != handover.from_team_id:
        raise ValidationError("The customer has moved since this was proposed.")
    account.team = handover.to_team
    account.updated_at = timezone.now()
    account.save(update_fields=["team", "updated_at"])
    return handover


def handover_decline(
    *, actor: Actor, handover: Handover, response: str = ""
) -> Handover:
    check(actor, Action.ACCEPT_HANDOVER, handover)
    _decide(handover, actor=actor, state=Handover.State.DECLINED, response=response)
    return handover


def handover_withdraw(*, actor: Actor, handover: Handover) -> Handover:
    check(actor, Action.PROPOSE_HANDOVER, handover)
    _decide(handover, actor=actor, state=Handover.State.WITHDRAWN, response="")
    return handover


def referral_create(
    *, actor: Actor, account: Account, ally: Ally, reason: str
) -> Referral:
    """Record that we pointed the customer to an ally who serves them better."""
    check(actor, Action.CHANGE_ACCOUNT, account)
    referral = Referral(
        account=account,
        ally=ally,
        ally_name=ally.name,
        reason=reason.strip(),
        referred_by=signed_in(actor),
    )
    referral.full_clean()
    referral.save()
    _touch(account)
    return referral
