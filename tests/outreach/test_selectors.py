"""Reads behind the trends page and the site report, and the charts drawn from them."""

from __future__ import annotations

from datetime import UTC, datetime

from django.template.loader import render_to_string

from purposeful.core import charts
from purposeful.outreach import selectors
from purposeful.outreach.models import MessageVersion, SitePage, SiteReview
from tests.outreach.factories import message


def _at(year, month):
    return datetime(year, month, 15, 12, tzinfo=UTC)


def test_trends_count_findings_per_category_and_month(cast):
    m = message(cast.team, cast.owner)
    MessageVersion.objects.filter(message=m).update(
        created_at=_at(2026, 3),
        category_counts={"manipulation.urgency": 2, "claims.greenwash": 1},
        purpose_alignment=0.2,
    )
    MessageVersion.objects.create(
        message=m,
        number=2,
        title="t",
        body="b",
        created_at=_at(2026, 5),
        category_counts={},
        purpose_alignment=0.9,
    )
    review = SiteReview.objects.create(name="s")
    SitePage.objects.create(
        site_review=review,
        path="a.html",
        status="reviewed",
        reviewed_at=_at(2026, 5),
        category_counts={"competition.superiority": 1},
        purpose_alignment=0.5,
    )
    SitePage.objects.create(site_review=review, path="b.png", status="rejected")
    data = selectors.trends()
    assert data["months"] == ["2026-03", "2026-05"]
    march, may = data["rows"]
    assert (march["texts"], march["total"], march["alignment"]) == (1, 3, 0.2)
    assert (may["texts"], may["total"], may["alignment"]) == (2, 1, 0.7)
    assert dict(data["series"]) == {
        "Manipulation": [2, 0],
        "Aimed at competitors": [0, 1],
        "Environmental claims": [1, 0],
    }


def test_site_report_csv_neutralises_spreadsheet_formulas(cast):
    review = SiteReview.objects.create(name="s", state="done")
    SitePage.objects.create(
        site_review=review,
        path="a.md",
        status="reviewed",
        findings=[
            {
                "id": "manipulation.urgency",
                "severity": "warning",
                "message": "m",
                "line": 1,
                "column": 1,
                "text": "=HYPERLINK(1)",
                "suggestion": None,
            }
        ],
        category_counts={"manipulation.urgency": 1},
    )
    SitePage.objects.create(
        site_review=review, path="b.png", status="rejected", problem="binary"
    )
    rows = selectors.site_report_csv(review).splitlines()
    assert "'=HYPERLINK(1)" in rows[1]
    assert rows[2].startswith("b.png,rejected") and rows[2].endswith("binary,")


def test_charts_escape_their_labels_and_carry_a_title():
    svg = render_to_string(
        "charts/bar_chart.html",
        {
            "chart": charts.bar_chart([("<b>x</b>", 3)], label_width=230, width=640),
            "chart_id": "c",
            "chart_title": "Findings & more",
        },
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in svg and "<b>" not in svg
    assert 'role="img"' in svg and "Findings &amp; more</title>" in svg
    stacked = render_to_string(
        "charts/stacked_columns.html",
        {
            "chart": charts.stacked_columns(["2026-01"], [("A", [2]), ("B", [1])]),
            "chart_id": "s",
            "chart_title": "t",
        },
    )
    assert stacked.count("<rect") == 2
