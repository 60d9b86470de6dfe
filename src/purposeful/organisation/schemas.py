"""API input and output shapes for the organisation, kept apart on purpose."""

from __future__ import annotations

from ninja import Field, ModelSchema, Schema

from purposeful.core.limits import max_length
from purposeful.core.oneline import OneLine
from purposeful.core.schemas import Username
from purposeful.organisation import selectors
from purposeful.organisation.models import (
    Ally,
    JoinRequest,
    Organisation,
    PurposeVersion,
    RemovalProposal,
    Role,
    Team,
)
from purposeful.people.models import Member


class OrganisationOut(ModelSchema):
    """The organisation's public details and its current purpose."""

    # ninja reads blank text as "may be null"; it is stored as "" instead
    tagline: str
    website: str
    contact_email: str
    purpose: str | None

    class Meta:
        model = Organisation
        fields = ["name", "tagline", "website", "contact_email"]

    @staticmethod
    def resolve_purpose(organisation: Organisation) -> str | None:
        purpose = organisation.purpose
        return purpose.text if purpose else None


# In a change, a field left out stays as it is; null is not a value any of them
# can hold, so it is refused rather than stored (these fields never default).
# The None defaults are never validated, only left out: hence the type ignores.
class OrganisationPatch(Schema):
    name: OneLine = Field(  # type: ignore[assignment]
        None, min_length=1, max_length=max_length(Organisation, "name")
    )
    tagline: OneLine = Field(None, max_length=max_length(Organisation, "tagline"))  # type: ignore[assignment]
    website: str = Field(None, max_length=max_length(Organisation, "website"))  # type: ignore[assignment]
    contact_email: str = Field(  # type: ignore[assignment]
        None, max_length=max_length(Organisation, "contact_email")
    )


class PurposeVersionOut(ModelSchema):
    """One version of the purpose, with its author."""

    reason: str
    author: Username

    class Meta:
        model = PurposeVersion
        fields = ["number", "text", "reason", "created_at"]


class PurposeIn(Schema):
    text: str = Field(..., min_length=1)
    reason: str = Field("", max_length=max_length(PurposeVersion, "reason"))


class RoleOut(ModelSchema):
    """A role with its accountabilities one by one and who holds it."""

    # ninja reads the primary key and blank text as "may be null"; both are
    # always there (blank text stored as "")
    id: int
    purpose: str
    accountabilities: list[str]
    holders: list[str]

    class Meta:
        model = Role
        fields = ["id", "team", "name", "kind", "purpose"]

    @staticmethod
    def resolve_accountabilities(role: Role) -> list[str]:
        return role.accountability_list

    @staticmethod
    def resolve_holders(role: Role) -> list[str]:
        return [holder.username for holder in role.holders.all()]


class RoleIn(Schema):
    name: OneLine = Field(..., min_length=1, max_length=max_length(Role, "name"))
    kind: str = Field("custom", pattern="^(custom|customer_link)$")
    purpose: str = ""
    accountabilities: list[str] = []


class RolePatch(Schema):
    name: OneLine | None = Field(
        None, min_length=1, max_length=max_length(Role, "name")
    )
    kind: str | None = Field(None, pattern="^(custom|customer_link)$")
    purpose: str | None = None
    accountabilities: list[str] | None = None


class TeamOut(ModelSchema):
    """A team with its members' usernames."""

    id: int
    purpose: str
    members: list[str]

    class Meta:
        model = Team
        fields = ["id", "slug", "name", "purpose"]

    @staticmethod
    def resolve_members(team: Team) -> list[str]:
        return [membership.member.username for membership in team.memberships.all()]


class TeamDetailOut(TeamOut):
    """A team with its roles and who holds its customer-link roles."""

    roles: list[RoleOut]
    customer_links: list[str]

    @staticmethod
    def resolve_roles(team: Team) -> list[Role]:
        return list(team.roles.all())

    @staticmethod
    def resolve_customer_links(team: Team) -> list[str]:
        return [member.username for member in selectors.customer_links(team=team)]


class TeamIn(Schema):
    name: OneLine = Field(..., min_length=1, max_length=max_length(Team, "name"))
    purpose: str = ""


class TeamPatch(Schema):
    name: OneLine | None = Field(
        None, min_length=1, max_length=max_length(Team, "name")
    )
    purpose: str | None = None


class UsernameIn(Schema):
    username: str = Field(..., min_length=1, max_length=max_length(Member, "username"))


class JoinRequestIn(Schema):
    message: str = Field("", max_length=max_length(JoinRequest, "message"))


class JoinRequestOut(ModelSchema):
    """A request to join a team, with who asked and who answered."""

    id: int
    message: str
    member: str
    decided_by: Username

    class Meta:
        model = JoinRequest
        fields = ["id", "team", "message", "state", "created_at", "decided_at"]

    @staticmethod
    def resolve_member(join_request: JoinRequest) -> str:
        return join_request.member.username


class RemovalProposalIn(Schema):
    username: str = Field(..., min_length=1, max_length=max_length(Member, "username"))
    reason: str = Field("", max_length=max_length(RemovalProposal, "reason"))


class RemovalProposalOut(ModelSchema):
    """A proposal that a member leaves a team, with who proposed and who decided."""

    id: int
    reason: str
    member: str
    proposed_by: str
    decided_by: Username

    class Meta:
        model = RemovalProposal
        fields = ["id", "team", "reason", "state", "created_at", "decided_at"]

    @staticmethod
    def resolve_member(proposal: RemovalProposal) -> str:
        return proposal.member.username

    @staticmethod
    def resolve_proposed_by(proposal: RemovalProposal) -> str:
        return proposal.proposed_by.username


class AllyOut(Schema):
    id: int
    name: str
    website: str
    does_well: str
    contact: str


class AllyIn(Schema):
    name: OneLine = Field(..., min_length=1, max_length=max_length(Ally, "name"))
    website: str = ""
    does_well: str = ""
    contact: OneLine = Field("", max_length=max_length(Ally, "contact"))


class AllyPatch(Schema):
    # as in OrganisationPatch: a None default means left out, and null is refused
    name: OneLine = Field(None, min_length=1, max_length=max_length(Ally, "name"))  # type: ignore[assignment]
    website: str = Field(None, max_length=max_length(Ally, "website"))  # type: ignore[assignment]
    does_well: str = None  # type: ignore[assignment]
    contact: OneLine = Field(None, max_length=max_length(Ally, "contact"))  # type: ignore[assignment]
