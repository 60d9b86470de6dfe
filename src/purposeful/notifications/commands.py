"""``purposeful notifications digest``: the daily e-mail, for cron or by hand."""

from __future__ import annotations

import click


@click.group()
def notifications() -> None:
    """Notifications sent by e-mail."""


@notifications.command()
@click.option(
    "--force",
    is_flag=True,
    help="Send even when a digest went out less than a day ago.",
)
def digest(force: bool) -> None:
    """Send each member one e-mail gathering what waited for their digest."""
    from purposeful.cli import ready

    ready()
    from purposeful.notifications import services

    if not force and not services.digest_due():
        click.echo("The last digest went out less than a day ago; nothing sent.")
        return
    sent = services.digest_send()
    click.echo(f"Sent {sent} digest e-mail{'s' if sent != 1 else ''}.")
