"""The reference documents every command and every setting; this fails when one is added without."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from purposeful.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
CLI_REFERENCE = (ROOT / "docs" / "reference" / "cli.md").read_text()
CONFIGURATION = (ROOT / "docs" / "reference" / "configuration.md").read_text()
SETTINGS = (ROOT / "src" / "purposeful" / "settings.py").read_text()


def _commands(group: click.Group, prefix: str = "purposeful"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path


@pytest.mark.parametrize("command", sorted(_commands(main)))
def test_every_command_is_in_the_cli_reference(command):
    assert command in CLI_REFERENCE, f"document `{command}` in docs/reference/cli.md"


@pytest.mark.parametrize(
    "variable",
    sorted(
        set(
            re.findall(
                r"""(?:environ\.get|_bool|_list)\(\s*["']([A-Z_]+)["']""", SETTINGS
            )
        )
    ),
)
def test_every_setting_is_in_the_configuration_reference(variable):
    assert f"`{variable}`" in CONFIGURATION, (
        f"document `{variable}` in docs/reference/configuration.md"
    )


def test_quick_start_has_exactly_two_commands():
    block = re.search(r"^## Quick start.*?```\w*\n(.*?)```", README, re.S | re.M).group(
        1
    )
    commands = [
        line for line in block.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert len(commands) == 2
    assert "purposeful demo" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    block = re.search(r"^## Quick start.*?```\w*\n(.*?)```", README, re.S | re.M).group(
        1
    )
    test_command = [line for line in block.splitlines() if line.strip()][1]
    assert test_command in (ROOT / ".ci" / "run").read_text()
