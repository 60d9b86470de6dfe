"""The purpose dashboard: charts with tables and CSV, honest when a part is missing."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from purposeful.targets import selectors, services

pytestmark = pytest.mark.django_db


def _client(member=None):
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def _model(label, name):
    if not apps.is_installed(f"purposeful.{label}"):
        pytest.skip(f"purposeful.{label} is not installed")
    return apps.get_model(label, name)


@pytest.fixture
def only_targets(monkeypatch):
    """An installation where none of the other parts are in use."""
    real = apps.is_installed
    monkeypatch.setattr(
        apps,
        "is_installed",
        lambda name: (
            False
            if name.split(".")[-1]
            in {"offers", "feedback", "relationships", "outreach"}
            else real(name)
        ),
    )


def test_dashboard_is_for_members_unless_stewards_make_it_public(cast):
    response = _client().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _client(cast.outsider).get("/dashboard/").status_code == 200
    services.dashboard_settings_update(actor=cast.steward, is_public=True)
    assert _client().get("/dashboard/").status_code == 200
    assert _client().get("/dashboard/offers.csv").status_code == 200


def test_steward_makes_the_dashboard_public_from_the_page(cast):
    response = _client(cast.steward).post("/dashboard/settings/", {"is_public": "on"})
    assert response.status_code == 302
    assert services.dashboard_settings_get().is_public
    _client(cast.steward).post("/dashboard/settings/", {})
    assert not services.dashboard_settings_get().is_public


def test_member_cannot_make_the_dashboard_public(cast):
    response = _client(cast.owner).post("/dashboard/settings/", {"is_public": "on"})
    assert response.status_code == 403
    assert not services.dashboard_settings_get().is_public


def test_settings_form_is_shown_to_stewards_only(cast):
    assert (
        b"Show the purpose dashboard"
        in _client(cast.steward).get("/dashboard/").content
    )
    assert (
        b"Show the purpose dashboard"
        not in _client(cast.owner).get("/dashboard/").content
    )


def test_missing_parts_show_an_honest_empty_state(cast, only_targets):
    html = _client(cast.owner).get("/dashboard/").content.decode()
    assert html.count("not in use in this installation yet") == 6
    assert "<svg" not in html


def test_missing_parts_give_an_empty_csv(cast, only_targets):
    response = _client(cast.owner).get("/dashboard/signals.csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").strip() == "kind,signals"


def test_unknown_csv_is_404(cast):
    assert _client(cast.owner).get("/dashboard/salaries.csv").status_code == 404


def test_published_offers_are_counted_per_team_in_alphabetical_order(cast):
    offer = _model("offers", "Offer")
    offer.objects.create(team=cast.team, slug="wheel-rebuild", state="published")
    offer.objects.create(team=cast.team, slug="draft-thing", state="draft")
    offer.objects.create(team=cast.other_team, slug="course", state="published")
    section = selectors.offers_section()
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
    signal = _model("feedback", "Signal")
    for kind, state in [
        ("need", "new"),
        ("need", "acknowledged"),
        ("issue", "done"),
        ("praise", "declined"),
    ]:
        signal.objects.create(team=cast.team, kind=kind, state=state, words="x")
    by_kind = dict(selectors.signals_by_kind_section().rows)
    assert by_kind["Need"] == 2 and by_kind["Issue"] == 1 and by_kind["Question"] == 0
    loop = selectors.loop_section()
    assert [count for _, count in loop.rows] == [4, 3, 2]
    assert loop.note == "75% answered, 50% closed with the customer."


def test_referrals_are_counted_per_ally(cast):
    account = _model("relationships", "Account")
    referral = _model("relationships", "Referral")
    customer = account.objects.create(name="Canal School", team=cast.team)
    for name in ["Cargo Collective", "Open Bike Kitchen", "Cargo Collective"]:
        referral.objects.create(account=customer, ally_name=name, reason="fits better")
    assert selectors.referrals_section().rows == [
        ("Cargo Collective", 2),
        ("Open Bike Kitchen", 1),
    ]


def test_lens_findings_are_counted_per_category_and_month(cast, monkeypatch):
    today = timezone.localdate()
    monkeypatch.setattr(
        selectors,
        "_published_texts",
        lambda: [
            (today, "Only 3 left — order today only!"),
            (date(2000, 1, 1), "Only 3 left!"),  # long ago: outside the chart
            (today, "We repair bikes so they keep riding."),
        ],
    )
    if not selectors._lens_sources_installed():
        pytest.skip("neither offers nor outreach is installed")
    trend = selectors.lens_trend()
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
    offer = _model("offers", "Offer")
    offer.objects.create(team=cast.team, slug="wheel-rebuild", state="published")
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
        selectors,
        "_published_texts",
        lambda: [
            (today, "Only 3 left — order today only!"),
            (today, "Bikes. " * (MAX_TEXT_CHARS // 7 + 1)),
        ],
    )
    if not selectors._lens_sources_installed():
        pytest.skip("neither offers nor outreach is installed")
    trend = selectors.lens_trend()
    assert dict(trend.categories)["manipulation.scarcity"][-1] == 1
    assert trend.texts == 2
    assert _client(cast.owner).get("/dashboard/").status_code == 200
