"""Reads about signals: team inboxes, search and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet

from purposeful.feedback.models import InboxCount, Signal, SignalEvent
from purposeful.organisation.models import Team
from purposeful.relationships.models import Account

if TYPE_CHECKING:
    from purposeful.people.models import Member

    pass

OPEN_STATES = [
    Signal.State.NEW,
    Signal.State.ACKNOWLEDGED,
    Signal.State.IN_PROGRESS,
]


def signals(
    *,
    team: Team | None = None,
    state: str = "",
    kind: str = "",
    tag: str = "",
    assignee: str = "",
    q: str = "",
    account_id: int | None = None,
    include_merged: bool = False,
) -> QuerySet[Signal]:
    """Signals filtered the way the inbox and search filter them, newest first.

    ``state`` is one state, or "open" for new, acknowledged and in progress.
    ``assignee`` is a username, or "none" for signals no one has taken.
    """
    result = Signal.objects.select_related("team", "assignee", "account")
    if team is not None:
        result = result.filter(team=team)
    if state == "open":
        result = result.filter(state__in=OPEN_STATES)
    elif state:
        result = result.filter(state=state)
    if not include_merged:
        result = result.filter(merged_into__isnull=True)
    if kind:
        result = result.filter(kind=kind)
    if tag:
        result = result.filter(tags__name=tag.strip().lower())
    if assignee == "none":
        result = result.filter(assignee__isnull=True)
    elif assignee:
        result = result.filter(assignee__username=assignee)
    if account_id is not None:
        result = result.filter(account_id=account_id)
    if q.strip():
        result = _matching(result, q.strip())
    return result.prefetch_related("tags").order_by("-created_at", "-pk")


# Below this many matches a search collects them all and sorts them; above it,
# matches are common enough that walking the newest-first index finds a page fast.
# The probe that tells them apart reads signals until it finds this many, so for
# a common term it costs more than the page itself: at 200,000 signals, 500 cost
# 10 ms for the first page of a term in 1 signal of 28, 200 costs 8 ms. Terms
# between the two take about as long either way.
RARE_MATCHES = 200


def _matching(signals: QuerySet[Signal], term: str) -> QuerySet[Signal]:
    accounts = Account.objects.filter(name__icontains=term).values("pk")
    by_text = Q(words__icontains=term) | Q(sender_name__icontains=term)
    # Text and customer are looked up apart: each has its own index (trigram
    # indexes on PostgreSQL, see migration 0004), which one OR would defeat.
    found = set(
        signals.filter(by_text).order_by().values_list("pk", flat=True)[:RARE_MATCHES]
    )
    found.update(
        signals.filter(account_id__in=accounts)
        .order_by()
        .values_list("pk", flat=True)[:RARE_MATCHES]
    )
    if len(found) < RARE_MATCHES:
        return signals.filter(pk__in=found)
    return signals.filter(by_text | Q(account_id__in=accounts))


def state_counts(*, team: Team) -> dict[str, int]:
    """The team's inbox by state, merged duplicates left out (kept counts, no scan)."""
    counts = dict.fromkeys(Signal.State.values, 0)
    counts.update(
        InboxCount.objects.filter(team=team, state__in=list(counts)).values_list(
            "state", "n"
        )
    )
    return counts


def _counts_by_team(teams: QuerySet[Team], states: list[str]) -> dict[int, int]:
    """Signals per team in these states, from the counts the database keeps."""
    rows = InboxCount.objects.filter(
        team_id__in=[team.pk for team in teams], state__in=states
    ).values_list("team_id", "n")
    counts: dict[int, int] = {}
    for team_id, n in rows:
        counts[team_id] = counts.get(team_id, 0) + n
    return counts


def new_counts_for(member: Member) -> list[tuple[Team, int]]:
    """For the start page: each of the member's teams with its new signals."""
    teams = Team.objects.filter(memberships__member=member).order_by("name")
    counts = _counts_by_team(teams, [Signal.State.NEW])
    return [(team, counts.get(team.pk, 0)) for team in teams]


def inbox_overview() -> list[Team]:
    """Every team with how many signals wait in its inbox, from the kept counts."""
    teams = list(Team.objects.order_by("name"))
    rows = InboxCount.objects.filter(
        team_id__in=[team.pk for team in teams], state__in=OPEN_STATES
    ).values_list("team_id", "state", "n")
    new: dict[int, int] = {}
    open_: dict[int, int] = {}
    for team_id, state, n in rows:
        open_[team_id] = open_.get(team_id, 0) + n
        if state == Signal.State.NEW:
            new[team_id] = n
    for team in teams:
        team.new_signals = new.get(team.pk, 0)
        team.open_signals = open_.get(team.pk, 0)
    return teams


def signal_detail(pk: int) -> Signal:
    return (
        Signal.objects.select_related(
            "team", "assignee", "account", "recorded_by", "merged_into", "offer"
        )
        .prefetch_related(
            "tags",
            "replies__author",
            Prefetch("events", queryset=SignalEvent.objects.select_related("actor")),
            Prefetch(
                "duplicates",
                queryset=Signal.objects.prefetch_related(
                    Prefetch(
                        "events", queryset=SignalEvent.objects.select_related("actor")
                    )
                ),
            ),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class PublicEvent:
    """One step of a message's history as its sender may read it."""

    kind: str
    state: str
    state_label: str
    note: str
    created_at: datetime


def public_view(signal: Signal) -> dict[str, Any]:
    """What the sender may see at their private link: only what was written to them.

    A merged message follows the state of the one it joined, but the replies,
    decline reason and notes of that one were written to its own sender.
    """
    followed = signal.merged_into or signal
    events = [
        PublicEvent(
            kind=event.kind,
            state=event.state,
            state_label=event.get_state_display(),
            note=event.note if event.signal_id == signal.pk else "",
            created_at=event.created_at,
        )
        for event in SignalEvent.objects.filter(
            signal__in={signal.pk, followed.pk},
            kind__in=[SignalEvent.Kind.RECEIVED, SignalEvent.Kind.STATE],
        ).order_by("created_at", "pk")
        # the other message's arrival is not news to this sender
        if event.signal_id == signal.pk or event.kind == SignalEvent.Kind.STATE
    ]
    return {
        "signal": signal,
        "state": followed.state,
        "state_label": followed.get_state_display(),
        "decline_reason": signal.decline_reason if followed.pk == signal.pk else "",
        "team_name": followed.team.name,
        "replies": list(signal.replies.order_by("created_at", "pk")),
        "events": events,
        "is_merged": followed.pk != signal.pk,
    }
