"""API input and output shapes for customers, kept apart on purpose."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ninja import Field, ModelSchema, Schema
from pydantic import StrictInt

from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLine
from purposeful.core.schemas import Username
from purposeful.relationships import selectors
from purposeful.relationships.models import (
    Account,
    Contact,
    Conversation,
    Handover,
    Referral,
)

KINDS = "^(organisation|person)$"
CONVERSATION_KINDS = "^(call|visit|email|meeting)$"


class ContactOut(ModelSchema):
    """A contact as stored: types, lengths and help come from the model."""

    # ninja reads a blank field as "may be null"; these are stored as "" instead
    id: int
    email: str
    phone: str
    notes: str

    class Meta:
        model = Contact
        fields = [
            "id",
            "account",
            "name",
            "email",
            "phone",
            "notes",
            "consents_to_contact",
            "consent_recorded_at",
        ]


class ContactIn(Schema):
    name: OneLine = Field(..., min_length=1, max_length=max_length(Contact, "name"))
    email: str = Field("", max_length=max_length(Contact, "email"))
    phone: OneLine = Field("", max_length=max_length(Contact, "phone"))
    notes: str = ""
    consents_to_contact: bool = False


class ContactPatch(Schema):
    name: OneLine | None = Field(
        None, min_length=1, max_length=max_length(Contact, "name")
    )
    email: str | None = Field(None, max_length=max_length(Contact, "email"))
    phone: OneLine | None = Field(None, max_length=max_length(Contact, "phone"))
    notes: str | None = None
    consents_to_contact: bool | None = None


class AccountOut(ModelSchema):
    """A customer as stored, with its team's name."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    notes: str
    team_name: str = Field(..., alias="team.name")

    class Meta:
        model = Account
        fields = ["id", "name", "kind", "team", "notes", "created_at", "updated_at"]


class AccountDetailOut(AccountOut):
    """A customer with whom to talk to, its contacts and an open hand-over."""

    people_to_talk_to: list[str]
    contacts: list[ContactOut]
    open_handover: int | None

    @staticmethod
    def resolve_people_to_talk_to(account: Account) -> list[str]:
        return [member.username for member in selectors.people_to_talk_to(account)]

    @staticmethod
    def resolve_contacts(account: Account) -> list[Contact]:
        return list(account.contacts.all())

    @staticmethod
    def resolve_open_handover(account: Account) -> int | None:
        handover = selectors.open_handover(account)
        return handover.pk if handover else None


class AccountIn(Schema):
    team: StrictInt
    name: OneLine = Field(..., min_length=1, max_length=max_length(Account, "name"))
    kind: str = Field("organisation", pattern=KINDS)
    notes: str = ""


class AccountPatch(Schema):
    name: OneLine | None = Field(
        None, min_length=1, max_length=max_length(Account, "name")
    )
    kind: str | None = Field(None, pattern=KINDS)
    notes: str | None = None


class ConversationOut(ModelSchema):
    """A conversation as logged, with who talked with the customer."""

    id: int
    member: Username

    class Meta:
        model = Conversation
        fields = ["id", "account", "kind", "contact", "happened_at", "summary"]


class ConversationIn(Schema):
    kind: str = Field("call", pattern=CONVERSATION_KINDS)
    summary: str = Field(..., min_length=1)
    happened_at: datetime | None = None
    contact: StrictInt | None = None


class HandoverOut(ModelSchema):
    """A hand-over as proposed and decided, with who did each."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    response: str
    proposed_by: Username
    decided_by: Username

    class Meta:
        model = Handover
        fields = [
            "id",
            "account",
            "from_team",
            "to_team",
            "reason",
            "state",
            "proposed_at",
            "decided_at",
            "response",
        ]


class HandoverIn(Schema):
    to_team: StrictInt
    reason: str = Field(..., min_length=1)


class HandoverAnswerIn(Schema):
    response: str = Field("", max_length=max_length(Handover, "response"))


class ReferralOut(ModelSchema):
    """A referral to an ally, with who made it."""

    id: int
    referred_by: Username

    class Meta:
        model = Referral
        fields = ["id", "account", "ally", "ally_name", "reason", "created_at"]


class ReferralIn(Schema):
    ally: StrictInt
    reason: str = Field(..., min_length=1)


class AllyReferralsOut(Schema):
    ally: int
    name: str
    count: int
    referrals: list[ReferralOut]


# What each kind of timeline entry says, and the line that sums it up.
_TIMELINE_TEXT: dict[str, Callable[[Any], tuple[str, str]]] = {
    "conversation": lambda item: (item.summary, item.kind),
    "signal": lambda item: (item.words, f"{item.kind} · {item.state}"),
    "referral": lambda item: (item.reason, item.ally_name),
    "handover": lambda item: (
        item.reason,
        f"{item.from_team} → {item.to_team} · {item.state}",
    ),
}


class TimelineEntryOut(Schema):
    """One entry of a customer's timeline, whichever of the four kinds it is."""

    kind: str
    id: int
    when: datetime
    text: str
    detail: str

    @staticmethod
    def resolve_id(entry: selectors.TimelineEntry) -> int:
        return entry.item.pk

    @staticmethod
    def resolve_text(entry: selectors.TimelineEntry) -> str:
        return _TIMELINE_TEXT[entry.kind](entry.item)[0]

    @staticmethod
    def resolve_detail(entry: selectors.TimelineEntry) -> str:
        return _TIMELINE_TEXT[entry.kind](entry.item)[1]
