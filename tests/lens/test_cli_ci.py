"""The lens in pull requests: GitHub and GitLab formats, and findings on changed lines."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from purposeful.cli import main as cli
from purposeful.lens import Finding, Review
from purposeful.lens._formats import render_github, render_gitlab

SCARCE = "Only 2 left in stock, order now before they are gone!"
HONEST = "Our workshop opens at nine on weekdays."


def _finding(**kwargs) -> Finding:
    values = {
        "id": "manipulation.scarcity",
        "severity": "warning",
        "message": "Claims scarcity.",
        "start": 0,
        "end": 11,
        "line": 3,
        "column": 5,
        "text": "Only 2 left",
        "suggestion": "Say how many there are, if you know.",
    }
    return Finding(**{**values, **kwargs})


def test_github_annotations_carry_place_level_and_escaped_text():
    findings = [
        _finding(),
        _finding(severity="info", message="50% off, today:\nreally", text="a\nb"),
        _finding(severity="error", id="claims.greenwash"),
    ]
    out = render_github([("docs/a, b:c.md", Review(findings=findings))]).splitlines()
    assert out[0] == (
        "::warning file=docs/a%2C b%3Ac.md,line=3,col=5,endLine=3,endColumn=16,"
        "title=manipulation.scarcity::Claims scarcity. Suggestion: Say how many "
        "there are, if you know."
    )
    assert out[1].startswith("::notice file=docs/a%2C b%3Ac.md,line=3,col=5,endLine=4,")
    assert "endColumn" not in out[1]
    assert out[1].endswith(
        "::50%25 off, today:%0Areally Suggestion: Say how many there are, if you know."
    )
    assert out[2].startswith("::error ")
    assert len(out) == 3


def test_gitlab_report_is_code_quality_json_with_distinct_fingerprints():
    findings = [_finding(), _finding(line=9), _finding(severity="error", line=1)]
    issues = json.loads(render_gitlab([("copy.md", Review(findings=findings))]))
    assert [i["severity"] for i in issues] == ["minor", "minor", "major"]
    assert issues[0]["check_name"] == "manipulation.scarcity"
    assert issues[0]["location"] == {"path": "copy.md", "lines": {"begin": 3, "end": 3}}
    assert "Suggestion:" in issues[0]["description"]
    assert len({i["fingerprint"] for i in issues}) == 3
    again = json.loads(render_gitlab([("copy.md", Review(findings=findings))]))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]


def test_cli_writes_both_formats(tmp_path):
    page = tmp_path / "copy.txt"
    page.write_text(SCARCE + "\n")
    github = CliRunner().invoke(cli, ["review", str(page), "--format", "github"])
    assert github.exit_code == 1
    assert github.output.startswith("::warning file=")
    gitlab = CliRunner().invoke(cli, ["review", str(page), "--format", "gitlab"])
    assert json.loads(gitlab.output)[0]["location"]["lines"]["begin"] == 1


@pytest.fixture
def repository(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=lens@example.org", "-c", "user.name=Lens", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (tmp_path / "old.md").write_text(f"{SCARCE}\n\n{HONEST}\n")
    git("add", "old.md")
    git("commit", "-q", "-m", "first")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _reviewed_lines(output: str) -> dict[str, list[int]]:
    files = json.loads(output)["files"]
    return {
        Path(f["path"]).as_posix(): sorted({x["line"] for x in f["findings"]})
        for f in files
    }


def test_diff_reports_only_findings_on_changed_lines_and_new_files(repository):
    (repository / "old.md").write_text(f"{SCARCE}\n\n{HONEST}\n\n{SCARCE}\n")
    (repository / "new.md").write_text(f"{HONEST}\n\n{SCARCE}\n")
    everything = CliRunner().invoke(cli, ["review", ".", "--format", "json"])
    assert _reviewed_lines(everything.output) == {"new.md": [3], "old.md": [1, 5]}
    changed = CliRunner().invoke(
        cli, ["review", ".", "--format", "json", "--diff", "HEAD"]
    )
    assert changed.exit_code == 1
    assert _reviewed_lines(changed.output) == {"new.md": [3], "old.md": [5]}


def test_diff_with_nothing_changed_exits_clean(repository):
    result = CliRunner().invoke(cli, ["review", "old.md", "--diff", "HEAD"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x"])
def test_diff_against_an_unknown_revision_says_so_in_one_line(repository, ref):
    result = CliRunner().invoke(cli, ["review", "old.md", "--diff", ref])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not (repository / "x").exists()


def test_diff_outside_a_repository_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "copy.md").write_text(SCARCE + "\n")
    result = CliRunner().invoke(cli, ["review", "copy.md", "--diff", "HEAD"])
    assert result.exit_code == 2
    assert "git" in result.output
