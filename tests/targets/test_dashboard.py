"""The purpose dashboard: charts with tables and CSV, honest when a part is missing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from purposeful.feedback.models import Signal
from purposeful.offers.models import Offer
from purposeful.relationships.models import Account, Referral
from purposeful.targets import dashboard, services

pytestmark = pytest.mark.django_db


def _client(member=None):
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def test_unknown_csv_is_404(cast):
    assert _client(cast.owner).get("/dashboard/salaries.csv").status_code == 404


def test_published_offers_are_counted_per_team_in_alphabetical_order(cast):
    Offer.objects.create(team=cast.team, slug="wheel-rebuild", state="published")
    Offer.objects.create(team=cast.team, slug="draft-thing", state="draft")
    Offer.objects.create(team=cast.other_team, slug="course", state="published")
    section = dashboard.offers_section()
    assert section.rows == [("Learning Lab", 1), ("Workshop", 1)]
    response = _client(cast.owner).get("/dashboard/offers.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["team", "published offers"],
        ["Learning Lab", "1"],
        ["Workshop", "1"],
    ]


def test_signals_by_kind_and_the_share_answered_and_closed(cast):
    for kind, state in [
        ("need", "new"),
        ("need", "acknowledged"),
        ("issue", "done"),
        ("praise", "declined"),
    ]:
        Signal.objects.create(team=cast.team, kind=kind, state=state, words="x")
    by_kind = dict(dashboard.signals_by_kind_section().rows)
    assert by_kind["Need"] == 2 and by_kind["Issue"] == 1 and by_kind["Question"] == 0
    loop = dashboard.loop_section()
    assert [count for _, count in loop.rows] == [4, 3, 2]
    assert loop.note == "75% answered, 50% closed with the customer."


def test_referrals_are_counted_per_ally(cast):
    customer = Account.objects.create(name="Canal School", team=cast.team)
    for name in ["Cargo Collective", "Open Bike Kitchen", "Cargo Collective"]:
        Referral.objects.create(account=customer, ally_name=name, reason="fits better")
    assert dashboard.referrals_section().rows == [
        ("Cargo Collective", 2),
        ("Open Bike Kitchen", 1),
    ]


def test_lens_findings_are_counted_per_category_and_month(cast, monkeypatch):
    today = timezone.localdate()
    monkeypatch.setattr(
        dashboard,
        "published_texts",
        lambda since: [
            (today, "Only 3 left — order today only!"),
            (date(2000, 1, 1), "Only 3 left!"),  # long ago: outside the chart
            (today, "We repair bikes so they keep riding."),
        ],
    )
    trend = dashboard.lens_trend()
    counts = dict(trend.categories)
    assert counts["manipulation.scarcity"][-1] == 1
    assert sum(counts["manipulation.scarcity"]) == 1
    assert trend.texts == 2
    assert len(trend.months) == 6
    html = _client(cast.owner).get("/dashboard/").content.decode()
    # people read the category's name; the id stays for programs, in the CSV
    assert "Scarcity" in html and "manipulation.scarcity" not in html
    assert 'class="chart-svg spark"' in html
    rows = list(
        csv.reader(
            io.StringIO(
                _client(cast.owner)
                .get("/dashboard/lens.csv")
                .content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0] == ["category", "month", "findings"]
    assert ["manipulation.scarcity", trend.months[-1], "1"] in rows


def test_every_chart_on_the_dashboard_has_a_table(cast):
    Offer.objects.create(team=cast.team, slug="wheel-rebuild", state="published")
    html = _client(cast.owner).get("/dashboard/").content.decode()
    charts = html.count('role="img"')
    assert charts >= 1
    assert html.count("<table") >= charts - html.count('class="chart-svg spark"')


def test_home_page_links_the_dashboard_once_it_is_public(cast):
    assert b"purpose dashboard" not in _client().get("/").content
    services.dashboard_settings_update(actor=cast.steward, is_public=True)
    assert b'href="/dashboard/">purpose dashboard' in _client().get("/").content


def test_a_text_too_long_for_the_lens_leaves_the_others_counted(cast, monkeypatch):
    """One over-long published text made the whole dashboard fail."""
    from purposeful.lens import MAX_TEXT_CHARS

    today = timezone.localdate()
    monkeypatch.setattr(
        dashboard,
        "published_texts",
        lambda since: [
            (today, "Only 3 left — order today only!"),
            (today, "Bikes. " * (MAX_TEXT_CHARS // 7 + 1)),
        ],
    )
    trend = dashboard.lens_trend()
    assert dict(trend.categories)["manipulation.scarcity"][-1] == 1
    assert trend.texts == 2
    assert _client(cast.owner).get("/dashboard/").status_code == 200
