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


def _commands(group: click.Group, ctx: click.Context, prefix: str = "purposeful"):
    # Through list_commands and get_command, as `--help` does: the groups of the
    # app's parts are loaded only when asked for, so `group.commands` misses them.
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"`{prefix} {name}` is listed but cannot be loaded"
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, click.Context(command, ctx, name), path)
        else:
            yield path


COMMANDS = sorted(_commands(main, click.Context(main, info_name="purposeful")))


def test_the_lazily_loaded_groups_are_walked():
    """Each group of a part of the app counts, with its subcommands."""
    for lazy in ("purposeful targets list", "purposeful import", "purposeful export"):
        assert lazy in COMMANDS
    assert "purposeful sensing run" in COMMANDS
    assert "purposeful notifications digest" in COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
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


def test_the_compose_example_spreads_over_several_machines():
    """compose.yaml, named in the README: PostgreSQL, an object store, two app
    servers without workers behind a proxy, and a worker on its own."""
    import yaml

    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    commands = [str(service.get("command", "")) for service in services.values()]
    assert any("postgres" in str(s.get("image")) for s in services.values())
    assert any("minio" in str(s.get("image")) for s in services.values())
    assert sum("purposeful serve --no-worker" in c for c in commands) == 2
    assert sum(c == "purposeful worker" for c in commands) == 1
    assert any("reverse-proxy" in c for c in commands)
    app = services["app-1"]["environment"]
    for variable in ("DATABASE_URL", "SECRET_KEY", "PURPOSEFUL_S3_BUCKET"):
        assert variable in app
        assert f"`{variable}`" in README
    assert "compose.yaml" in README
