"""API input and output shapes for customers, kept apart on purpose."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, ModelSchema, Schema
from pydantic import StrictInt

from purposeful.oneline import OneLine
from purposeful.relationships.models import Contact

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
    name: OneLine = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: OneLine = Field("", max_length=40)
    notes: str = ""
    consents_to_contact: bool = False


class ContactPatch(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: OneLine | None = Field(None, max_length=40)
    notes: str | None = None
    consents_to_contact: bool | None = None


class AccountOut(Schema):
    id: int
    name: str
    kind: str
    team: int
    team_name: str
    notes: str
    created_at: datetime
    updated_at: datetime


class AccountDetailOut(AccountOut):
    people_to_talk_to: list[str]
    contacts: list[ContactOut]
    open_handover: int | None


class AccountIn(Schema):
    team: StrictInt
    name: OneLine = Field(..., min_length=1, max_length=200)
    kind: str = Field("organisation", pattern=KINDS)
    notes: str = ""


class AccountPatch(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=200)
    kind: str | None = Field(None, pattern=KINDS)
    notes: str | None = None


class ConversationOut(Schema):
    id: int
    account: int
    kind: str
    member: str | None
    contact: int | None
    happened_at: datetime
    summary: str


class ConversationIn(Schema):
    kind: str = Field("call", pattern=CONVERSATION_KINDS)
    summary: str = Field(..., min_length=1)
    happened_at: datetime | None = None
    contact: StrictInt | None = None


class HandoverOut(Schema):
    id: int
    account: int
    from_team: int
    to_team: int
    reason: str
    state: str
    proposed_by: str | None
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    response: str


class HandoverIn(Schema):
    to_team: StrictInt
    reason: str = Field(..., min_length=1)


class HandoverAnswerIn(Schema):
    response: str = Field("", max_length=2000)


class ReferralOut(Schema):
    id: int
    account: int
    ally: int | None
    ally_name: str
    reason: str
    referred_by: str | None
    created_at: datetime


class ReferralIn(Schema):
    ally: StrictInt
    reason: str = Field(..., min_length=1)


class AllyReferralsOut(Schema):
    ally: int
    name: str
    count: int
    referrals: list[ReferralOut]


class TimelineEntryOut(Schema):
    kind: str
    id: int
    when: datetime
    text: str
    detail: str
