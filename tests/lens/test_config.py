"""Project configuration: re-grading, disabling, competitors, allies, substantiated claims."""

from __future__ import annotations

from pathlib import Path

import pytest

from purposeful.lens import (
    Claim,
    ConfigError,
    LensConfig,
    find_config,
    load_config,
    review,
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_read(tmp_path):
    path = _write(
        tmp_path,
        "pyproject.toml",
        """
[tool.purposeful.lens]
purpose = "Bread for the village"
fail-on = "error"
disable = ["competition"]
competitors = ["MegaBake"]
allies = ["Village Oven"]
threshold = 0.9

[tool.purposeful.lens.severity]
"manipulation.urgency" = "error"
"manipulation.scarcity" = "off"

[[tool.purposeful.lens.claims]]
text = "carbon neutral"
evidence = "https://example.org/footprint.pdf"
""",
    )
    config = load_config(path)
    assert config.purpose == "Bread for the village"
    assert config.fail_on == "error"
    assert config.severity == {"manipulation.urgency": "error"}
    assert config.disable == {"competition", "manipulation.scarcity"}
    assert config.competitors == ("MegaBake",)
    assert config.claims == (
        Claim("carbon neutral", "https://example.org/footprint.pdf"),
    )
    assert config.threshold == 0.9
    assert config.source == str(path)


def test_purposeful_toml_uses_a_lens_table(tmp_path):
    path = _write(tmp_path, "purposeful.toml", '[lens]\nfail-on = "info"\n')
    assert load_config(path).fail_on == "info"


def test_find_config_walks_up_and_skips_pyproject_without_lens_table(tmp_path):
    _write(tmp_path, "purposeful.toml", "[lens]\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    _write(tmp_path / "a", "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(nested) == tmp_path / "purposeful.toml"


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ('fail-on = "sometimes"', "tool.purposeful.lens.fail-on", "must be one of"),
        (
            'disable = ["manipulation.nagging"]',
            "tool.purposeful.lens.disable",
            "unknown finding id",
        ),
        ("disable = 3", "tool.purposeful.lens.disable", "must be a list of strings"),
        ('colour = "red"', "tool.purposeful.lens.colour", "unknown key"),
        ("threshold = 2", "tool.purposeful.lens.threshold", "between 0 and 1"),
        ('alignment = "magic"', "tool.purposeful.lens.alignment", "auto or lexical"),
        (
            '[[tool.purposeful.lens.claims]]\ntext = "green"',
            "tool.purposeful.lens.claims[0].evidence",
            "needs evidence",
        ),
        (
            '[[tool.purposeful.lens.claims]]\ntext = " "\nevidence = "https://x.org"',
            "tool.purposeful.lens.claims[0].text",
            "must not be empty",
        ),
        (
            '[tool.purposeful.lens.severity]\n"manipulation.fear" = "loud"',
            "tool.purposeful.lens.severity.manipulation.fear",
            "must be error, warning, info or off",
        ),
    ],
)
def test_malformed_config_names_file_key_and_problem(tmp_path, body, key, problem):
    path = _write(tmp_path, "pyproject.toml", f"[tool.purposeful.lens]\n{body}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {key}: ")
    assert problem in message


def test_invalid_toml_names_the_file(tmp_path):
    path = _write(tmp_path, "purposeful.toml", "[lens\n")
    with pytest.raises(ConfigError, match=r"purposeful\.toml: invalid TOML"):
        load_config(path)


def test_severity_can_be_regraded():
    config = LensConfig(severity={"manipulation.urgency": "error"})
    [finding] = review("Hurry!", config=config).findings
    assert finding.severity == "error"


def test_a_disabled_category_is_not_reported_by_rules_or_classifier():
    config = LensConfig(disable=frozenset({"manipulation.urgency"}))
    text = "Hurry! Decide now, this deal will not be here tomorrow."
    assert review(text, config=config).findings == []


def test_named_competitors_are_flagged_and_allies_are_not():
    config = LensConfig(
        competitors=("MegaBake", "Village Oven"), allies=("Village Oven",)
    )
    result = review("MegaBake and Village Oven both sell bread.", config=config)
    assert [(f.id, f.text) for f in result.findings] == [
        ("competition.superiority", "MegaBake")
    ]


def test_substantiated_claim_is_suppressed_with_its_evidence():
    config = LensConfig(
        claims=(Claim("Carbon neutral", "https://example.org/lca.pdf"),)
    )
    result = review("Carbon neutral delivery. Eco-friendly bags.", config=config)
    assert [f.text for f in result.findings] == ["Eco-friendly"]
    [suppressed] = result.suppressed
    assert suppressed.reason == "substantiated"
    assert (
        result.to_dict()["suppressed"][0]["evidence"] == "https://example.org/lca.pdf"
    )
