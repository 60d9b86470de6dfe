"""The organisation, its purpose, its self-organised teams and roles, and its allies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from purposeful.core import models as core_models

if TYPE_CHECKING:
    from purposeful.people.models import Member


class Organisation(models.Model):
    """The one organisation an installation serves."""

    name = models.CharField(max_length=200)
    tagline = models.CharField(max_length=300, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def purpose(self) -> PurposeVersion | None:
        return self.purpose_versions.first()


class PurposeVersion(models.Model):
    """One version of the purpose statement; versions are never edited or deleted."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="purpose_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    reason = models.CharField(max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="unique_purpose_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"Purpose v{self.number}"


class Team(models.Model):
    """A self-organised team. Any member may start one; its members decide who joins."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    purpose = models.TextField(blank=True, help_text="What this team is here to do.")
    members: models.ManyToManyField[Member, Membership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )
    # counted for the inbox index by feedback.selectors.inbox_overview
    new_signals: int
    open_signals: int
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:team_detail", args=[self.slug])

    @property
    def owning_team(self) -> Team:
        return self


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["team", "member"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.team}"


class _TeamMemberDecision(core_models.Decided):
    """What a request to join and a proposal to leave share: the member it is
    about, when it was made, and the team whose members decide. Each keeps its
    own team field, for its own name on the team's side."""

    team: models.ForeignKey[Team, Team]
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    @property
    def owning_team(self) -> Team:
        return self.team


class JoinRequest(_TeamMemberDecision):
    """Asking to join a team: a current member accepts or declines.

    A pending request gives no rights at all; only a :class:`Membership` does.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a member's answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.CharField(
        max_length=500, blank=True, help_text="Why you would like to join."
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )

    class Meta(_TeamMemberDecision.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["team", "member"],
                condition=models.Q(state="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} asks to join {self.team}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class RemovalProposal(_TeamMemberDecision):
    """A member proposes that a colleague leaves the team; a second member agrees.

    The person named may agree too: then it is their own leaving.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a second member"
        AGREED = "agreed", "Agreed: they left the team"
        WITHDRAWN = "withdrawn", "Withdrawn"

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="removal_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PROPOSED
    )

    class Meta(_TeamMemberDecision.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["team", "member"],
                condition=models.Q(state="proposed"),
                name="one_open_removal_proposal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposed_by} proposes that {self.member} leaves {self.team}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PROPOSED


class MembershipChange(models.Model):
    """One change to who is in a team, as the team hears of it."""

    class Kind(models.TextChoices):
        JOIN_ASKED = "join_asked", "asked to join"
        JOINED = "joined", "joined"
        JOIN_ACCEPTED = "join_accepted", "was accepted"
        JOIN_DECLINED = "join_declined", "was declined"
        ADDED = "added", "was added"
        REMOVAL_PROPOSED = "removal_proposed", "was proposed to leave"
        REMOVAL_WITHDRAWN = "removal_withdrawn", "stays: the proposal was withdrawn"
        REMOVED = "removed", "was removed"
        LEFT = "left", "left"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="changes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # who acted is ``by``; a removal also names who proposed it
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} ({self.team})"

    @property
    def owning_team(self) -> Team:
        return self.team


class Role(models.Model):
    """A role the team defined for itself, with the people who fill it."""

    class Kind(models.TextChoices):
        CUSTOM = "custom", "Team role"
        CUSTOMER_LINK = "customer_link", "Customer link"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    purpose = models.TextField(blank=True)
    accountabilities = models.TextField(blank=True, help_text="One per line.")
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="roles"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="unique_role_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"

    @property
    def owning_team(self) -> Team:
        return self.team

    @property
    def is_customer_link(self) -> bool:
        return self.kind == self.Kind.CUSTOMER_LINK

    @property
    def accountability_list(self) -> list[str]:
        return [
            line.strip() for line in self.accountabilities.splitlines() if line.strip()
        ]


class Ally(models.Model):
    """An organisation with a similar purpose: not a competitor."""

    name = models.CharField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    does_well = models.TextField("what they do well", blank=True)
    contact = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "allies"

    def __str__(self) -> str:
        return self.name
