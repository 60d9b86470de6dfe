"""``purposeful sensing run``: recompute the groups now, in this process."""

from __future__ import annotations

import click


@click.group()
def sensing() -> None:
    """Signals grouped into emerging needs."""


@sensing.command()
def run() -> None:
    """Group every signal now and print what emerged."""
    from purposeful.cli import ready

    ready()
    from purposeful.sensing import selectors, services

    result = services.sensing_compute()
    click.echo(
        f"{result.group_count} groups from {result.signal_count} signals "
        f"({result.method}, {result.seconds:.1f} s)."
    )
    for group in selectors.groups()[:10]:
        click.echo(f"  {group.size:6d}  {group.name}")
