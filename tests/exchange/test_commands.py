"""``purposeful import`` and ``purposeful export`` on the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from purposeful import cli
from purposeful.relationships.models import Account, Contact
from tests.exchange.test_services import HUBSPOT, with_lead_score


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setattr(cli, "_setup_django", lambda **kwargs: None)
    monkeypatch.setattr(cli, "_migrate", lambda: None)

    def invoke(*args: str):
        return CliRunner().invoke(cli.main, list(args))

    return invoke


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "hubspot.csv"
    path.write_text(HUBSPOT, encoding="utf-8")
    return path


def test_import_writes_every_row_and_reimport_finds_duplicates(cast, run, csv_file):
    first = run("import", str(csv_file), "--team", cast.team.slug, "--as", "owner")
    assert first.exit_code == 0, first.output
    assert "Imported 2 customers and 3 contacts" in first.output
    again = run("import", str(csv_file), "--team", cast.team.slug, "--as", "owner")
    assert "3 duplicates" in again.output
    assert Contact.objects.count() == 3


def test_dry_run_writes_nothing(cast, run, csv_file):
    result = run(
        "import", str(csv_file), "--team", cast.team.slug, "--as", "owner", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "3 new contacts" in result.output
    assert Contact.objects.count() == 0


def test_file_with_bad_rows_imports_nothing_and_names_the_lines(cast, run, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HUBSPOT + "Ed,Fox,nope,,X,\n", encoding="utf-8")
    result = run("import", str(path), "--team", cast.team.slug, "--as", "owner")
    assert result.exit_code == 2
    assert "line 5: error" in result.output
    assert Contact.objects.count() == 0


def test_member_of_other_team_is_refused(cast, run, csv_file):
    result = run("import", str(csv_file), "--team", cast.team.slug, "--as", "outsider")
    assert result.exit_code == 2
    assert "Only members of Workshop" in result.output


def test_export_writes_json(cast, run, csv_file, tmp_path):
    run("import", str(csv_file), "--team", cast.team.slug, "--as", "owner")
    out = tmp_path / "contacts.json"
    result = run(
        "export", "contacts", "--format", "json", "-o", str(out), "--as", "outsider"
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())) == 3


def test_export_to_standard_output_as_csv(cast, run):
    cast.account  # noqa: B018
    result = run("export", "accounts", "--as", "owner")
    assert result.exit_code == 0
    assert "Riverside Bakery" in result.output


def test_export_as_plain_csv_keeps_values_as_stored(cast, run):
    Account.objects.create(name="-minus sign co-op", team=cast.team)
    result = run("export", "accounts", "--format", "plain-csv", "--as", "owner")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("id,name")
    assert ",-minus sign co-op," in result.output


def test_import_names_the_columns_it_leaves_out(cast, run, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(with_lead_score(), encoding="utf-8")
    result = run(
        "import", str(path), "--team", cast.team.slug, "--as", "owner", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert "Columns left out (no field reads them): Lead score" in result.output
