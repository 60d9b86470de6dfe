"""API input and output shapes for the organisation, kept apart on purpose."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from purposeful.oneline import OneLine


class OrganisationOut(Schema):
    name: str
    tagline: str
    website: str
    contact_email: str
    purpose: str | None


# In a change, a field left out stays as it is; null is not a value any of them
# can hold, so it is refused rather than stored (these fields never default).
class OrganisationPatch(Schema):
    name: OneLine = Field(None, min_length=1, max_length=200)
    tagline: OneLine = Field(None, max_length=300)
    website: str = Field(None, max_length=200)
    contact_email: str = Field(None, max_length=254)


class PurposeVersionOut(Schema):
    number: int
    text: str
    reason: str
    author: str | None
    created_at: datetime


class PurposeIn(Schema):
    text: str = Field(..., min_length=1)
    reason: str = Field("", max_length=500)


class RoleOut(Schema):
    id: int
    team: int
    name: str
    kind: str
    purpose: str
    accountabilities: list[str]
    holders: list[str]


class RoleIn(Schema):
    name: OneLine = Field(..., min_length=1, max_length=120)
    kind: str = Field("custom", pattern="^(custom|customer_link)$")
    purpose: str = ""
    accountabilities: list[str] = []


class RolePatch(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=120)
    kind: str | None = Field(None, pattern="^(custom|customer_link)$")
    purpose: str | None = None
    accountabilities: list[str] | None = None


class TeamOut(Schema):
    id: int
    slug: str
    name: str
    purpose: str
    members: list[str]


class TeamDetailOut(TeamOut):
    roles: list[RoleOut]
    customer_links: list[str]


class TeamIn(Schema):
    name: OneLine = Field(..., min_length=1, max_length=120)
    purpose: str = ""


class TeamPatch(Schema):
    name: OneLine | None = Field(None, min_length=1, max_length=120)
    purpose: str | None = None


class UsernameIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)


class JoinRequestIn(Schema):
    message: str = Field("", max_length=500)


class JoinRequestOut(Schema):
    id: int
    team: int
    member: str
    message: str
    state: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class RemovalProposalIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    reason: str = Field("", max_length=500)


class RemovalProposalOut(Schema):
    id: int
    team: int
    member: str
    proposed_by: str
    reason: str
    state: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class AllyOut(Schema):
    id: int
    name: str
    website: str
    does_well: str
    contact: str


class AllyIn(Schema):
    name: OneLine = Field(..., min_length=1, max_length=200)
    website: str = ""
    does_well: str = ""
    contact: OneLine = Field("", max_length=200)


class AllyPatch(Schema):
    name: OneLine = Field(None, min_length=1, max_length=200)
    website: str = Field(None, max_length=200)
    does_well: str = None
    contact: OneLine = Field(None, max_length=200)
