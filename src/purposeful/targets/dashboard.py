"""The purpose dashboard: its figures, computed off the request and kept with their age.

Counting every signal on every request made the dashboard grow with the data: at
200,000 signals it cost 65 times a small API call and slowed every other page
with it. The figures are computed by ``compute`` and kept in one row
(``DashboardFigures``); a page shows the kept figures and says how old they are.
They are computed again once they are due — something they count changed (the
domain events below), the lens settings or the month changed, or
``DASHBOARD_REFRESH_MINUTES`` passed — during the request when the last
computation was quick (a small organisation always sees its latest numbers),
otherwise by the ``dashboard_refresh`` task while the page shows what it has.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from purposeful import events
from purposeful.core import charts
from purposeful.feedback.models import Reply, Signal
from purposeful.offers.models import Offer, OfferVersion
from purposeful.organisation.models import Team
from purposeful.outreach.models import Message
from purposeful.relationships.models import Referral
from purposeful.targets.models import DashboardFigures

MONTHS = 6
# A computation quicker than this is redone during the request that finds the
# figures due; a slower one is left to the background task.
INLINE_SECONDS = 0.05
# A queued refresh that has not finished after this is queued again (its worker
# may have been lost).
QUEUED_FOR_TOO_LONG = timedelta(minutes=10)
_ROW = 1


def refresh_after() -> timedelta:
    return timedelta(minutes=float(getattr(settings, "DASHBOARD_REFRESH_MINUTES", 10)))


# -- what the page shows -----------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One block of the dashboard: a count per label, with a chart and a table."""

    key: str
    title: str
    rows: list[tuple[str, int]]
    columns: tuple[str, str]
    note: str = ""
    available: bool = True  # the API's key; every part is always installed

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)

    @property
    def is_empty(self) -> bool:
        return self.total == 0

    @cached_property
    def chart(self) -> charts.BarChart:
        rows = self.rows
        if self.key == "loop":  # short labels; the table says them in full
            rows = list(
                zip(
                    ("all signals", "answered", "closed"),
                    [n for _, n in rows],
                    strict=True,
                )
            )
        return charts.bar_chart(rows)


@dataclass(frozen=True)
class LensTrend:
    """Lens findings per category per month in what the organisation published."""

    months: list[str]
    categories: list[tuple[str, list[int]]]
    texts: int
    available: bool = True

    @property
    def is_empty(self) -> bool:
        return not any(sum(counts) for _, counts in self.categories)

    @cached_property
    def labelled(self) -> list[tuple[str, list[int]]]:
        from purposeful.outreach.reviewing import category_label

        return [(category_label(cid), counts) for cid, counts in self.categories]

    @cached_property
    def small_charts(self) -> list[charts.Sparkbars]:
        top = max([max(counts) for _, counts in self.categories if counts] + [1])
        return [
            charts.sparkbars(
                label, list(zip(self.months, counts, strict=True)), y_max=top
            )
            for label, counts in self.labelled
        ]


@dataclass(frozen=True)
class Figures:
    sections: list[Section]
    lens: LensTrend
    computed_at: datetime
    refreshing: bool

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def csv_rows(self, name: str) -> tuple[list[str], list[list[Any]]] | None:
        """The numbers behind one chart, as a header and rows (None: no such chart)."""
        if name == "lens":
            return ["category", "month", "findings"], [
                [cid, month, count]
                for cid, counts in self.lens.categories
                for month, count in zip(self.lens.months, counts, strict=True)
            ]
        section = self.section(name)
        if section is None:
            return None
        return [section.columns[0] or "what", section.columns[1]], [
            list(row) for row in section.rows
        ]


# -- counting ----------------------------------------------------------------------


def _live_signals():
    return Signal.objects.filter(merged_into__isnull=True)


def offers_section() -> Section:
    counts = dict(
        Offer.objects.filter(state=Offer.State.PUBLISHED)
        .values_list("team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Section(
        "offers",
        "Published offers",
        [(team.name, counts.get(team.pk, 0)) for team in Team.objects.order_by("name")],
        ("team", "published offers"),
        "Teams in alphabetical order; a count, not a score.",
    )


def signals_by_kind_section() -> Section:
    counts = dict(
        _live_signals().values_list("kind").annotate(n=Count("pk")).order_by()
    )
    return Section(
        "signals",
        "What customers tell us, by kind",
        [(label, counts.get(value, 0)) for value, label in Signal.Kind.choices],
        ("kind", "signals"),
    )


def needs_section() -> Section:
    """The needs signals point to, as the teams tagged them (never customers' words)."""
    rows = list(
        _live_signals()
        .exclude(tags__isnull=True)
        .values_list("tags__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "tags__name")[:10]
    )
    return Section(
        "needs",
        "The needs signals point to",
        [(name, n) for name, n in rows],
        ("tag", "signals"),
        "The tags teams gave to customers' signals, most frequent first.",
    )


def loop_section() -> Section:
    """How many signals were answered, and closed with the customer."""
    live = _live_signals()
    # one pass over the signals; a reply is looked up by index, not joined and
    # made distinct
    totals = live.aggregate(
        total=Count("pk"),
        answered=Count(
            "pk",
            filter=~Q(state=Signal.State.NEW)
            | Q(Exists(Reply.objects.filter(signal=OuterRef("pk")))),
        ),
        closed=Count(
            "pk", filter=Q(state__in=[Signal.State.DONE, Signal.State.DECLINED])
        ),
    )
    total, answered, closed = totals["total"], totals["answered"], totals["closed"]
    note = ""
    if total:
        note = (
            f"{round(100 * answered / total)}% answered, "
            f"{round(100 * closed / total)}% closed with the customer."
        )
    return Section(
        "loop",
        "Closing the loop with customers",
        [
            ("all signals", total),
            ("answered (acknowledged or replied to)", answered),
            ("closed with the customer (done or declined)", closed),
        ],
        ("", "signals"),
        note,
    )


def referrals_section() -> Section:
    rows = list(
        Referral.objects.values_list("ally_name")
        .annotate(n=Count("pk"))
        .order_by("ally_name")
    )
    return Section(
        "referrals",
        "Customers we pointed to allies",
        [(name, n) for name, n in rows],
        ("ally", "referrals"),
        "Allies in alphabetical order.",
    )


def _months(now: datetime, count: int = MONTHS) -> list[date]:
    first = timezone.localdate(now).replace(day=1)
    months = []
    year, month = first.year, first.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def published_texts(since: date) -> list[tuple[date, str]]:
    """What the organisation put in front of people since a day: offers and messages."""
    texts: list[tuple[date, str]] = []
    rows = OfferVersion.objects.filter(
        status=OfferVersion.Status.PUBLISHED, published_at__date__gte=since
    ).values_list("published_at", *OfferVersion.TEXT_FIELDS)
    texts += [
        (timezone.localdate(published_at), "\n\n".join(p for p in parts if p))
        for published_at, *parts in rows
    ]
    message_rows = Message.objects.filter(
        state=Message.State.PUBLISHED, published_at__date__gte=since
    ).values_list("published_at", "title", "body")
    texts += [
        (timezone.localdate(published_at), f"{title}\n\n{body}")
        for published_at, title, body in message_rows
    ]
    return texts


def lens_trend(now: datetime | None = None) -> LensTrend:
    from purposeful.lens import CATEGORY_IDS
    from purposeful.outreach.lens_service import finding_ids

    months = _months(now or timezone.now())
    shown = [
        (day.replace(day=1), text)
        for day, text in published_texts(months[0])
        if day.replace(day=1) >= months[0]
    ]
    counts: dict[str, Counter] = {category: Counter() for category in CATEGORY_IDS}
    # the organisation's lens, as on every other page: its settings count here too
    for (month, _), ids in zip(shown, finding_ids([t for _, t in shown]), strict=True):
        for finding_id in ids:
            counts.setdefault(finding_id, Counter())[month] += 1
    return LensTrend(
        months=[m.strftime("%b %Y") for m in months],
        categories=[(cid, [counts[cid][m] for m in months]) for cid in sorted(counts)],
        texts=len(shown),
    )


def compute(now: datetime | None = None) -> dict[str, Any]:
    """Every figure of the dashboard, as JSON the row keeps."""
    sections = [
        offers_section(),
        signals_by_kind_section(),
        needs_section(),
        loop_section(),
        referrals_section(),
    ]
    lens = lens_trend(now)
    return {
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "rows": s.rows,
                "columns": s.columns,
                "note": s.note,
            }
            for s in sections
        ],
        "lens": {
            "months": lens.months,
            "categories": lens.categories,
            "texts": lens.texts,
        },
    }


# -- keeping them ------------------------------------------------------------------


def _basis(now: datetime) -> str:
    """What the figures depend on besides the records: the month and the lens."""
    from purposeful.outreach.lens_service import lens_config, lens_version

    month = timezone.localdate(now).replace(day=1).isoformat()
    return f"{month}|{lens_version(replace(lens_config(), purpose=None))}"


def _is_due(row: DashboardFigures, basis: str, now: datetime) -> bool:
    return (
        row.basis != basis
        or (row.changed_at is not None and row.changed_at >= row.computed_at)
        or now - row.computed_at > refresh_after()
    )


def refresh(now: datetime | None = None) -> DashboardFigures:
    """Compute the figures and keep them; what the background task runs."""
    now = now or timezone.now()
    started, clock = timezone.now(), time.perf_counter()
    values = {
        "figures": compute(now),
        "basis": _basis(now),
        # when the counting began: a change made while it ran makes them due again
        "computed_at": started,
        "seconds": time.perf_counter() - clock,
        "refresh_queued_at": None,
    }
    try:
        row, _ = DashboardFigures.objects.update_or_create(pk=_ROW, defaults=values)
    except IntegrityError:  # created by another request a moment ago
        DashboardFigures.objects.filter(pk=_ROW).update(**values)
        row = DashboardFigures.objects.get(pk=_ROW)
    return row


def _queue_refresh(row: DashboardFigures, now: datetime) -> None:
    from purposeful.targets.tasks import dashboard_refresh

    claimed = (
        DashboardFigures.objects.filter(pk=row.pk)
        .filter(
            Q(refresh_queued_at__isnull=True)
            | Q(refresh_queued_at__lt=now - QUEUED_FOR_TOO_LONG)
        )
        .update(refresh_queued_at=now)
    )
    if claimed:  # one task, however many pages ask at once
        transaction.on_commit(dashboard_refresh.enqueue)


def figures(now: datetime | None = None) -> Figures:
    """The dashboard's figures as kept, refreshed first when that is quick."""
    now = now or timezone.now()
    basis = _basis(now)
    row = DashboardFigures.objects.filter(pk=_ROW).first()
    if row is None or (_is_due(row, basis, now) and row.seconds <= INLINE_SECONDS):
        row = refresh(now)
    elif _is_due(row, basis, now):
        _queue_refresh(row, now)
        row.refresh_from_db()  # a backend that runs tasks at once has refreshed it
    data = row.figures
    return Figures(
        sections=[
            Section(
                s["key"],
                s["title"],
                [tuple(r) for r in s["rows"]],
                tuple(s["columns"]),
                s["note"],
            )
            for s in data["sections"]
        ],
        lens=LensTrend(
            months=data["lens"]["months"],
            categories=[(cid, counts) for cid, counts in data["lens"]["categories"]],
            texts=data["lens"]["texts"],
        ),
        computed_at=row.computed_at,
        refreshing=_is_due(row, basis, now),
    )


# -- what makes them due -----------------------------------------------------------


def _changed(event: events.Event) -> None:
    DashboardFigures.objects.filter(pk=_ROW).update(changed_at=timezone.now())


def connect() -> None:
    for event_type in (
        events.SignalReceived,
        events.SignalStateChanged,
        events.OfferPublished,
        events.MessagePublished,
    ):
        events.subscribe(event_type, _changed)
