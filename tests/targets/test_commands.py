"""``purposeful targets``: the same rules on the command line, refusals on one line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from purposeful import cli
from purposeful.targets.models import CheckIn, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(monkeypatch):
    # pytest-django already set Django up on the test database.
    monkeypatch.setattr(cli, "_setup_django", lambda **kwargs: None)
    monkeypatch.setattr(cli, "_migrate", lambda: None)

    def invoke(*args: str):
        return CliRunner().invoke(cli.main, ["targets", *args])

    return invoke


CREATE = [
    "--title",
    "Run 12 evening courses this year",
    "--why",
    "Teaching is part of our purpose.",
    "--from",
    "2026-01-01",
    "--until",
    "2026-12-31",
    "--unit",
    "courses",
    "--number",
    "12",
]


def test_member_creates_a_target_for_their_team(cast, run):
    result = run("create", "--as", "owner", "--team", "workshop", *CREATE)
    assert result.exit_code == 0, result.output
    target = Target.objects.get()
    assert target.team == cast.team and target.measure_target == 12
    assert f"Target {target.pk} set for Workshop" in result.output


def test_member_of_other_team_is_refused_with_one_line_and_exit_2(cast, run):
    result = run("create", "--as", "outsider", "--team", "workshop", *CREATE)
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "Error: Only members of Workshop can set its targets."
    )
    assert not Target.objects.exists()


def test_steward_outside_the_team_cannot_check_in_or_let_go(cast, run):
    target_id = str(cast.target.pk)
    check_in = run("check-in", target_id, "--as", "steward", "--learned", "x")
    let_go = run("let-go", target_id, "--as", "steward", "--reason", "x")
    delete = run("delete", target_id, "--as", "outsider")
    for result in (check_in, let_go, delete):
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Only members of Workshop" in result.stderr
    assert Target.objects.get(pk=cast.target.pk).is_open
    assert not CheckIn.objects.exists()


def test_member_checks_in_and_lets_go(cast, run):
    target_id = str(cast.target.pk)
    result = run(
        "check-in",
        target_id,
        "--as",
        "owner",
        "--learned",
        "Chains can be saved",
        "--value",
        "6",
        "--still-makes-sense",
        "unsure",
    )
    assert result.exit_code == 0, result.output
    assert CheckIn.objects.get().still_makes_sense == "unsure"
    result = run("let-go", target_id, "--as", "owner", "--reason", "We learned")
    assert result.exit_code == 0
    assert Target.objects.get(pk=cast.target.pk).is_let_go


def test_invalid_input_is_one_clear_line(cast, run):
    result = run(
        "create",
        "--as",
        "owner",
        "--team",
        "workshop",
        *CREATE[:-2],
        "--until",
        "2025-01-01",
    )
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "Error: period_end: The period ends before it starts."
    )


def test_unknown_member_team_or_target(cast, run):
    assert "no active member is called 'nobody'" in run("list", "--as", "nobody").stderr
    assert (
        "there is no team 'nowhere'"
        in run("create", "--as", "owner", "--team", "nowhere", *CREATE).stderr
    )
    result = run("check-in", "999", "--as", "owner", "--learned", "x")
    assert result.exit_code == 2
    assert "there is no target 999" in result.stderr


def test_list_hides_other_teams_private_targets(cast, run):
    cast.target, cast.private_target  # noqa: B018 - create both
    outsider = run("list", "--as", "outsider").output
    owner = run("list", "--as", "owner").output
    assert "Kept inside" not in outsider and "Repair rather" in outsider
    assert "Kept inside [8 repairs out of 10] (inside the team)" in owner


def test_import_creates_every_row(cast, run, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(
        "team,title,why,period_start,period_end,measure_unit,measure_target,shared\n"
        "workshop,Fix 40 wheels,Our craft,2026-01-01,2026-06-30,wheels,40,yes\n"
        "workshop,Quiet target,Ours,2026-01-01,2026-06-30,,,no\n"
    )
    result = run("import", str(path), "--as", "owner")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Imported 2 targets."
    assert not Target.objects.get(title="Quiet target").is_shared


def test_import_is_all_or_nothing_with_errors_per_line(cast, run, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(
        "team,title,why,period_start,period_end\n"
        "workshop,Fine,Ours,2026-01-01,2026-06-30\n"
        "learning-lab,Not ours,Theirs,2026-01-01,2026-06-30\n"
    )
    result = run("import", str(path), "--as", "owner")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert (
        lines[0] == f"{path}:line 3: Only members of Learning Lab can set its targets."
    )
    assert lines[-1] == "Error: 1 line needs attention; nothing was imported"
    assert not Target.objects.exists()


def test_import_of_a_missing_or_binary_file(cast, run, tmp_path):
    assert (
        "no such file" in run("import", str(tmp_path / "x.csv"), "--as", "owner").stderr
    )
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    result = run("import", str(binary), "--as", "owner")
    assert result.exit_code == 2
    assert "cannot read it as UTF-8 text" in result.stderr
