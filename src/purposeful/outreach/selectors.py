"""Reads for the outreach pages and the API: messages, trends and site reports."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Prefetch, QuerySet

from purposeful.core import csvfile
from purposeful.lens import CATEGORY_IDS
from purposeful.outreach.models import (
    Advice,
    Message,
    MessageVersion,
    SitePage,
    SiteReview,
)
from purposeful.outreach.reviewing import category_label

if TYPE_CHECKING:
    from purposeful.people.models import Member

    pass

FAMILIES = ("manipulation", "competition", "claims")
FAMILY_LABELS = {
    "manipulation": "Manipulation",
    "competition": "Aimed at competitors",
    "claims": "Environmental claims",
}


def message_list(*, team: Any = None, state: str | None = None) -> QuerySet[Message]:
    messages = (
        Message.objects.select_related("team", "created_by")
        .prefetch_related("offers")
        .annotate(
            version_count=Count("versions", distinct=True),
            advice_count=Count("advice", distinct=True),
        )
    )
    if team is not None:
        messages = messages.filter(team=team)
    if state:
        messages = messages.filter(state=state)
    return messages.order_by("-updated_at", "-pk")


def messages_asking_advice(member: Member) -> QuerySet[Message]:
    """Messages of other teams that ask for advice, the newest first."""
    return (
        Message.objects.filter(state=Message.State.ADVICE)
        .exclude(team__memberships__member=member)
        .select_related("team")
        .order_by("-updated_at", "-pk")
    )


def message_with_details(pk: int) -> Message:
    return (
        Message.objects.select_related("team", "created_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=MessageVersion.objects.select_related("author").order_by(
                    "-number"
                ),
            ),
            Prefetch(
                "advice",
                queryset=Advice.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            ),
            "offers",
        )
        .get(pk=pk)
    )


def trends() -> dict[str, Any]:
    """Findings per category per month, from message versions and reviewed site pages."""
    months: dict[str, Counter] = defaultdict(Counter)
    texts: Counter = Counter()
    alignment: dict[str, list[float]] = defaultdict(list)
    for created_at, counts, score in MessageVersion.objects.order_by(
        "created_at", "pk"
    ).values_list("created_at", "category_counts", "purpose_alignment"):
        month = created_at.strftime("%Y-%m")
        months[month].update(counts)
        texts[month] += 1
        if score is not None:
            alignment[month].append(score)
    for reviewed_at, counts, score in (
        SitePage.objects.filter(
            status=SitePage.Status.REVIEWED, reviewed_at__isnull=False
        )
        .order_by("reviewed_at", "pk")
        .values_list("reviewed_at", "category_counts", "purpose_alignment")
    ):
        # filtered on reviewed_at__isnull=False: always a datetime here
        month = cast(datetime, reviewed_at).strftime("%Y-%m")
        months[month].update(counts)
        texts[month] += 1
        if score is not None:
            alignment[month].append(score)
    order = sorted(months)
    rows = []
    for month in order:
        counts = months[month]
        total = sum(counts.values())
        scores = alignment[month]
        rows.append(
            {
                "month": month,
                "texts": texts[month],
                "counts": [counts.get(i, 0) for i in CATEGORY_IDS],
                "total": total,
                "per_text": round(total / texts[month], 2) if texts[month] else 0,
                "alignment": round(sum(scores) / len(scores), 2) if scores else None,
            }
        )
    series = [
        (
            FAMILY_LABELS[family],
            [
                sum(v for k, v in months[m].items() if k.startswith(family + "."))
                for m in order
            ],
        )
        for family in FAMILIES
    ]
    return {
        "rows": rows,
        "months": order,
        "series": series,
        "categories": [(i, category_label(i)) for i in CATEGORY_IDS],
    }


def site_report(site_review: SiteReview) -> dict[str, Any]:
    pages = list(site_review.pages.order_by("path", "pk"))
    totals: Counter = Counter()
    for page in pages:
        totals.update(page.category_counts)
    reviewed = [p for p in pages if p.status == SitePage.Status.REVIEWED]
    rejected = [p for p in pages if p.status == SitePage.Status.REJECTED]
    scores = [p.purpose_alignment for p in reviewed if p.purpose_alignment is not None]
    return {
        "pages": pages,
        "reviewed": reviewed,
        "rows": [
            (p, [p.category_counts.get(i, 0) for i in CATEGORY_IDS]) for p in reviewed
        ],
        "rejected": rejected,
        "totals": [(i, category_label(i), totals.get(i, 0)) for i in CATEGORY_IDS],
        "total": sum(totals.values()),
        "alignment": round(sum(scores) / len(scores), 2) if scores else None,
        "categories": [(i, category_label(i)) for i in CATEGORY_IDS],
    }


def site_report_json(site_review: SiteReview) -> dict[str, Any]:
    report = site_report(site_review)
    return {
        "id": site_review.pk,
        "name": site_review.name,
        "state": site_review.state,
        "created_at": site_review.created_at.isoformat(),
        "finished_at": site_review.finished_at.isoformat()
        if site_review.finished_at
        else None,
        "pages_total": site_review.pages_total,
        "pages_done": site_review.pages_done,
        "alignment_method": site_review.alignment_method or None,
        "counts": {i: n for i, _, n in report["totals"]},
        "pages": [
            {
                "path": p.path,
                "status": p.status,
                "problem": p.problem or None,
                "markup": p.markup,
                "words": p.words,
                "counts": p.category_counts,
                "purpose_alignment": p.purpose_alignment,
                "findings": p.findings,
            }
            for p in report["pages"]
        ],
    }


def site_report_csv(site_review: SiteReview) -> str:
    """One row per finding, and one per page that could not be reviewed."""
    header = [
        "page",
        "status",
        "line",
        "column",
        "id",
        "category",
        "severity",
        "text",
        "message",
        "suggestion",
    ]
    return csvfile.text(header, _site_report_rows(site_review))


def _site_report_rows(site_review: SiteReview) -> Iterator[list[Any]]:
    for page in site_review.pages.order_by("path", "pk"):
        if page.status != SitePage.Status.REVIEWED:
            yield [page.path, page.status, "", "", "", "", "", "", page.problem, ""]
            continue
        for f in page.findings:
            yield [
                page.path,
                page.status,
                f["line"],
                f["column"],
                f["id"],
                category_label(f["id"]),
                f["severity"],
                f["text"],
                f["message"],
                f.get("suggestion") or "",
            ]
