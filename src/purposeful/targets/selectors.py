"""Reads for targets and the dashboard's settings (its figures: ``dashboard``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone

from purposeful.core import charts
from purposeful.organisation.models import Team
from purposeful.people.types import Actor
from purposeful.permissions import team_ids, visible
from purposeful.targets.models import CheckIn, Comment, DashboardSettings, Target

if TYPE_CHECKING:
    from purposeful.people.models import Member

    pass


def dashboard_settings() -> DashboardSettings | None:
    """What the VIEW_DASHBOARD rule reads: whether stewards made it public."""
    try:
        with transaction.atomic():
            return DashboardSettings.objects.order_by("pk").first()
    except DatabaseError:  # not migrated yet: nothing is public
        return None


def targets_visible_to(actor: Actor) -> QuerySet[Target]:
    """Shared targets, plus the ones the actor's own teams keep inside."""
    return visible(actor, Target).select_related("team")


def open_targets_of(member: Member) -> QuerySet[Target]:
    """The open targets of the member's own teams, with their last check-in date."""
    return (
        Target.objects.filter(team_id__in=team_ids(member), state=Target.State.ACTIVE)
        .select_related("team")
        .annotate(last_check_in=Max("check_ins__created_at"))
        .order_by("period_end", "title", "pk")
    )


@dataclass
class TeamColumn:
    team: Team
    is_mine: bool
    open_targets: list[Target] = field(default_factory=list)
    closed_targets: list[Target] = field(default_factory=list)


def organisation_targets(actor: Actor) -> list[TeamColumn]:
    """Every team side by side, by name, with its targets as the team wrote them.

    No sorting by progress, no scores: teams are in alphabetical order and
    targets in the order of their period.
    """
    mine = team_ids(actor)
    targets = (
        targets_visible_to(actor)
        .annotate(check_in_count=Count("check_ins", distinct=True))
        .order_by("team__name", "period_end", "title", "pk")
    )
    columns = {
        team.pk: TeamColumn(team, team.pk in mine) for team in Team.objects.all()
    }
    for target in targets:
        column = columns[target.team_id]
        (column.open_targets if target.is_open else column.closed_targets).append(
            target
        )
    return list(columns.values())


def target_detail(pk: int) -> Target:
    return (
        Target.objects.select_related("team", "created_by")
        .prefetch_related(
            Prefetch("check_ins", queryset=CheckIn.objects.select_related("author")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
        .get(pk=pk)
    )


_SENSE_MARK: dict[str, str] = {
    CheckIn.StillMakesSense.YES: "sense-yes",
    CheckIn.StillMakesSense.UNSURE: "sense-unsure",
    CheckIn.StillMakesSense.NO: "sense-no",
}


def target_chart(target: Target) -> charts.LineChart | charts.Timeline | None:
    """The chart of a target's check-ins: values when it has a measure, else marks."""
    check_ins = list(target.check_ins.all())
    if not check_ins:
        return None
    days = [timezone.localdate(c.created_at) for c in check_ins]
    if target.has_measure:
        values = [
            (d, c.value)
            for d, c in zip(days, check_ins, strict=True)
            if c.value is not None
        ]
        if values:
            return charts.line_chart(
                values,
                start=target.period_start,
                end=target.period_end,
                reference=target.measure_target,
                reference_label=f"our number: {target.measure_display}",
            )
    return charts.timeline(
        [
            (d, c.get_still_makes_sense_display(), _SENSE_MARK[c.still_makes_sense])
            for d, c in zip(days, check_ins, strict=True)
        ],
        start=target.period_start,
        end=target.period_end,
    )
