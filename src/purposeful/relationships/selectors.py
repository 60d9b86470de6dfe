"""Reads about customers, shaped for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from purposeful.organisation.models import Ally, Team
from purposeful.organisation.selectors import customer_links, teams_with_details
from purposeful.relationships.models import Account, Contact, Handover, Referral

if TYPE_CHECKING:
    from purposeful.people.models import Member

    pass


def account_list(
    *, team: Team | None = None, q: str = "", kind: str = ""
) -> QuerySet[Account]:
    accounts = Account.objects.select_related("team")
    if team is not None:
        accounts = accounts.filter(team=team)
    if kind:
        accounts = accounts.filter(kind=kind)
    if q.strip():
        term = q.strip()
        # A subquery rather than a join: no duplicates to remove, and the list
        # can walk the name index and stop after one page.
        by_contact = Contact.objects.filter(name__icontains=term).values("account_id")
        accounts = accounts.filter(Q(name__icontains=term) | Q(pk__in=by_contact))
    return accounts.order_by("name", "pk")


def account_detail(pk: int) -> Account:
    return Account.objects.select_related("team").get(pk=pk)


def people_to_talk_to(account: Account) -> list[Any]:
    """The owning team's customer-link role holders."""
    team = teams_with_details().get(pk=account.team_id)
    return customer_links(team=team)


@dataclass
class TimelineEntry:
    kind: str  # conversation, signal, referral, handover
    when: datetime
    item: Any


def account_timeline(account: Account, *, limit: int = 200) -> list[TimelineEntry]:
    """Conversations, signals, referrals and hand-overs of a customer, newest first."""
    from purposeful.feedback.models import Signal

    entries = [
        TimelineEntry("conversation", c.happened_at, c)
        for c in account.conversations.select_related("member", "contact")[:limit]
    ]
    entries += [
        TimelineEntry("signal", s.created_at, s)
        for s in Signal.objects.filter(account=account)
        .select_related("team")
        .order_by("-created_at", "-pk")[:limit]
    ]
    entries += [
        TimelineEntry("referral", r.created_at, r)
        for r in account.referrals.select_related("ally", "referred_by")[:limit]
    ]
    entries += [
        TimelineEntry("handover", h.proposed_at, h)
        for h in account.handovers.select_related(
            "from_team", "to_team", "proposed_by", "decided_by"
        )[:limit]
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def offers_of(account: Account) -> list[Any]:
    """Offers the customer uses or told us about, as their signals show."""
    from purposeful.offers.models import Offer

    return list(
        Offer.objects.filter(signals__account=account)
        .select_related("team")
        .distinct()
        .order_by("slug")
    )


def open_handover(account: Account) -> Handover | None:
    return (
        account.handovers.filter(state=Handover.State.PROPOSED)
        .select_related("from_team", "to_team", "proposed_by")
        .first()
    )


def handovers_waiting_for(member: Member) -> QuerySet[Handover]:
    """Hand-overs proposed to the member's teams, waiting for an answer."""
    return (
        Handover.objects.filter(
            state=Handover.State.PROPOSED, to_team__memberships__member=member
        )
        .select_related("account", "from_team", "to_team", "proposed_by")
        .order_by("-proposed_at", "-pk")
    )


def allies_with_referral_counts() -> QuerySet[Ally]:
    return Ally.objects.annotate(referral_count=Count("referrals")).order_by("name")


def referrals_to(ally: Ally) -> QuerySet[Referral]:
    return ally.referrals.select_related(
        "account", "account__team", "referred_by"
    ).order_by("-created_at", "-pk")
