"""Reads for targets and the purpose dashboard.

The dashboard reads the offers, feedback and relationships apps only through
``django.apps``: each part is shown when its app is installed and has the
fields it needs, and an honest empty state is shown otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from purposeful.core import charts
from purposeful.organisation.models import Team
from purposeful.permissions import team_ids, visible
from purposeful.targets.models import CheckIn, Comment, DashboardSettings, Target


def dashboard_settings() -> DashboardSettings | None:
    """What the VIEW_DASHBOARD rule reads: whether stewards made it public."""
    try:
        with transaction.atomic():
            return DashboardSettings.objects.order_by("pk").first()
    except DatabaseError:  # not migrated yet: nothing is public
        return None


def targets_visible_to(actor: Any) -> QuerySet[Target]:
    """Shared targets, plus the ones the actor's own teams keep inside."""
    return visible(actor, Target).select_related("team")


def open_targets_of(member: Any) -> QuerySet[Target]:
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


def organisation_targets(actor: Any) -> list[TeamColumn]:
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


_SENSE_MARK = {
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


# -- the purpose dashboard ------------------------------------------------------


def _model(app_label: str, model_name: str, *fields: str) -> Any | None:
    """The model when its app is installed and has every field we read, else None."""
    if not apps.is_installed(f"purposeful.{app_label}"):
        return None
    try:
        model = apps.get_model(app_label, model_name)
        for name in fields:
            model._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return None
    return model


@dataclass
class Section:
    """One block of the dashboard: ``available`` False when its app is not there."""

    key: str
    title: str
    available: bool
    rows: list[tuple[str, int]] = field(default_factory=list)
    chart: Any = None
    note: str = ""
    columns: tuple[str, str] = ("", "count")

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)

    @property
    def is_empty(self) -> bool:
        return self.available and self.total == 0


def _months(now: datetime, count: int = 6) -> list[date]:
    first = timezone.localdate(now).replace(day=1)
    months = []
    year, month = first.year, first.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def offers_section() -> Section:
    offer = _model("offers", "Offer", "state", "team")
    section = Section(
        "offers",
        "Published offers",
        offer is not None,
        columns=("team", "published offers"),
    )
    if offer is None:
        return section
    try:
        with transaction.atomic():
            counts = dict(
                offer.objects.filter(state="published")
                .values_list("team__name")
                .annotate(n=Count("pk"))
                .order_by("team__name")
            )
    except DatabaseError:
        return Section("offers", section.title, False)
    section.rows = [
        (team.name, counts.get(team.name, 0)) for team in Team.objects.all()
    ]
    section.note = "Teams in alphabetical order; a count, not a score."
    section.chart = charts.bar_chart(section.rows)
    return section


def signals_by_kind_section() -> Section:
    signal = _model("feedback", "Signal", "kind", "state", "created_at")
    section = Section(
        "signals",
        "What customers tell us, by kind",
        signal is not None,
        columns=("kind", "signals"),
    )
    if signal is None:
        return section
    kinds = dict(signal._meta.get_field("kind").choices or [])
    try:
        with transaction.atomic():
            counts = dict(
                _live_signals(signal)
                .values_list("kind")
                .annotate(n=Count("pk"))
                .order_by("kind")
            )
    except DatabaseError:
        return Section("signals", section.title, False)
    section.rows = [(label, counts.get(value, 0)) for value, label in kinds.items()]
    section.chart = charts.bar_chart(section.rows)
    return section


def _live_signals(signal: Any) -> QuerySet:
    queryset = signal.objects.all()
    try:
        signal._meta.get_field("merged_into")
    except FieldDoesNotExist:
        return queryset
    return queryset.filter(merged_into__isnull=True)


def needs_section() -> Section:
    """The needs signals point to, as the teams tagged them (never customers' words)."""
    signal = _model("feedback", "Signal", "kind", "tags")
    section = Section(
        "needs",
        "The needs signals point to",
        signal is not None,
        columns=("tag", "signals"),
    )
    if signal is None:
        return section
    try:
        with transaction.atomic():
            rows = list(
                _live_signals(signal)
                .exclude(tags__isnull=True)
                .values_list("tags__name")
                .annotate(n=Count("pk"))
                .order_by("-n", "tags__name")[:10]
            )
    except DatabaseError:
        return Section("needs", section.title, False)
    section.rows = [(name, n) for name, n in rows]
    section.note = "The tags teams gave to customers' signals, most frequent first."
    section.chart = charts.bar_chart(section.rows)
    return section


def loop_section() -> Section:
    """How many signals were answered, and closed with the customer."""
    signal = _model("feedback", "Signal", "state")
    section = Section(
        "loop",
        "Closing the loop with customers",
        signal is not None,
        columns=("", "signals"),
    )
    if signal is None:
        return section
    try:
        with transaction.atomic():
            live = _live_signals(signal)
            total = live.count()
            answered_q = ~Q(state="new")
            if _model("feedback", "Reply", "signal") is not None:
                answered_q |= Q(replies__isnull=False)
            answered = live.filter(answered_q).distinct().count()
            closed = live.filter(state__in=["done", "declined"]).count()
    except DatabaseError:
        return Section("loop", section.title, False)
    section.rows = [
        ("all signals", total),
        ("answered (acknowledged or replied to)", answered),
        ("closed with the customer (done or declined)", closed),
    ]
    if total:
        section.note = (
            f"{round(100 * answered / total)}% answered, "
            f"{round(100 * closed / total)}% closed with the customer."
        )
    section.chart = charts.bar_chart(
        [
            ("all signals", total),
            ("answered", answered),
            ("closed", closed),
        ]
    )
    return section


def referrals_section() -> Section:
    referral = _model("relationships", "Referral", "ally_name")
    section = Section(
        "referrals",
        "Customers we pointed to allies",
        referral is not None,
        columns=("ally", "referrals"),
    )
    if referral is None:
        return section
    try:
        with transaction.atomic():
            rows = list(
                referral.objects.values_list("ally_name")
                .annotate(n=Count("pk"))
                .order_by("ally_name")
            )
    except DatabaseError:
        return Section("referrals", section.title, False)
    section.rows = [(name, n) for name, n in rows]
    section.note = "Allies in alphabetical order."
    section.chart = charts.bar_chart(section.rows)
    return section


def _published_texts() -> list[tuple[date, str]]:
    """What the organisation put in front of people: published offers and messages."""
    texts: list[tuple[date, str]] = []
    version = _model("offers", "OfferVersion", "status", "published_at")
    if version is not None:
        present = [n for n in version.TEXT_FIELDS if _has_field(version, n)]
        rows = version.objects.filter(
            status="published", published_at__isnull=False
        ).values_list("published_at", *present)
        texts += [
            (timezone.localdate(published_at), "\n\n".join(p for p in parts if p))
            for published_at, *parts in rows
        ]
    message = _model("outreach", "Message", "state", "published_at", "title", "body")
    if message is not None:
        rows = message.objects.filter(
            state="published", published_at__isnull=False
        ).values_list("published_at", "title", "body")
        texts += [
            (timezone.localdate(published_at), f"{title}\n\n{body}")
            for published_at, title, body in rows
        ]
    return texts


def _lens_sources_installed() -> bool:
    return (
        _model("offers", "OfferVersion", "status", "published_at") is not None
        or _model("outreach", "Message", "state", "published_at") is not None
    )


def _has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


@dataclass
class LensTrend:
    available: bool
    months: list[str] = field(default_factory=list)
    categories: list[tuple[str, list[int]]] = field(default_factory=list)
    # the same rows with each category's name for people, for the page's table
    labelled: list[tuple[str, list[int]]] = field(default_factory=list)
    small_charts: list[charts.Sparkbars] = field(default_factory=list)
    texts: int = 0

    @property
    def is_empty(self) -> bool:
        return self.available and not any(sum(c) for _, c in self.categories)


def lens_trend(now: datetime | None = None) -> LensTrend:
    """Lens findings per category per month in what the organisation published."""
    try:
        from purposeful.lens import CATEGORY_IDS
        from purposeful.outreach.lens_service import finding_ids
        from purposeful.outreach.reviewing import category_label
    except ImportError:  # pragma: no cover - the lens ships with the package
        return LensTrend(False)
    if not _lens_sources_installed():
        return LensTrend(False)
    months = _months(now or timezone.now())
    try:
        with transaction.atomic():
            texts = _published_texts()
    except DatabaseError:
        return LensTrend(False)
    counts: dict[str, Counter] = {category: Counter() for category in CATEGORY_IDS}
    shown = [(day.replace(day=1), text) for day, text in texts]
    shown = [(month, text) for month, text in shown if month >= months[0]]
    # the organisation's lens, as on every other page: its settings count here too
    found = finding_ids([text for _, text in shown])
    for (month, _), ids in zip(shown, found, strict=True):
        for finding_id in ids:
            counts.setdefault(finding_id, Counter())[month] += 1
    reviewed = len(shown)
    labels = [m.strftime("%b %Y") for m in months]
    categories = [(cid, [counts[cid][m] for m in months]) for cid in sorted(counts)]
    top = max([max(c) for _, c in categories if c] + [1])
    return LensTrend(
        available=True,
        months=labels,
        categories=categories,
        labelled=[(category_label(cid), c) for cid, c in categories],
        small_charts=[
            charts.sparkbars(
                category_label(cid), list(zip(labels, c, strict=True)), y_max=top
            )
            for cid, c in categories
        ],
        texts=reviewed,
    )


def dashboard(now: datetime | None = None) -> dict[str, Any]:
    sections = [
        offers_section(),
        signals_by_kind_section(),
        needs_section(),
        loop_section(),
        referrals_section(),
    ]
    return {"sections": sections, "lens": lens_trend(now)}


def dashboard_csv_rows(
    name: str, now: datetime | None = None
) -> tuple[list[str], list[list[Any]]] | None:
    """The numbers behind one chart, as a header and rows, or None for an unknown name."""
    if name == "lens":
        trend = lens_trend(now)
        if not trend.available:
            return ["category", "month", "findings"], []
        return ["category", "month", "findings"], [
            [cid, month, count]
            for cid, counts in trend.categories
            for month, count in zip(trend.months, counts, strict=True)
        ]
    builders = {
        "offers": offers_section,
        "signals": signals_by_kind_section,
        "needs": needs_section,
        "loop": loop_section,
        "referrals": referrals_section,
    }
    if name not in builders:
        return None
    section = builders[name]()
    return [section.columns[0] or "what", section.columns[1]], [
        list(r) for r in section.rows
    ]
