"""``purposeful targets …``: the command line for a team's targets.

Commands act as a member (``--as USERNAME``) through the same services as the
pages and the API, so a member of another team is refused the same way: one
line on stderr and exit status 2.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from purposeful.cli import active_member, fail, ready
from purposeful.people.types import Actor


def _target(actor: Actor, target_id: int) -> Any:
    from purposeful.permissions import Action, allowed
    from purposeful.targets.models import Target

    target = Target.objects.select_related("team").filter(pk=target_id).first()
    if target is None or not allowed(actor, Action.VIEW_TARGET, target):
        fail(f"there is no target {target_id} that {actor.username} can see")
    return target


def _run(call):
    """Call a service; refusals and invalid input end in one clear line."""
    from django.core.exceptions import PermissionDenied, ValidationError

    try:
        return call()
    except PermissionDenied as error:
        fail(str(error))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            fail(
                "; ".join(
                    f"{field}: {' '.join(messages)}"
                    if field != "__all__"
                    else " ".join(messages)
                    for field, messages in error.message_dict.items()
                )
            )
        fail(" ".join(error.messages))


_as_option = click.option(
    "--as", "username", required=True, help="The member acting (a username)."
)


@click.group()
def targets() -> None:
    """Targets teams set for themselves, and their check-ins."""


@targets.command("list")
@_as_option
@click.option("--team", "team_slug", default=None, help="Only this team (a slug).")
def list_targets(username: str, team_slug: str | None) -> None:
    """List the targets USERNAME can read, team by team."""
    ready()
    from purposeful.targets.selectors import targets_visible_to

    member = active_member(username)
    rows = targets_visible_to(member).order_by("team__name", "period_end", "pk")
    if team_slug:
        rows = rows.filter(team__slug=team_slug)
    if not rows:
        click.echo("No targets.")
    for target in rows:
        measure = f" [{target.measure_display}]" if target.has_measure else ""
        shared = "" if target.is_shared else " (inside the team)"
        click.echo(
            f"{target.pk}\t{target.team.slug}\t{target.get_state_display()}\t"
            f"{target.period_start}…{target.period_end}\t{target.title}{measure}{shared}"
        )


@targets.command("create")
@_as_option
@click.option("--team", "team_slug", required=True, help="Your team (a slug).")
@click.option("--title", required=True, help="What the team wants to reach.")
@click.option("--why", required=True, help="How it serves the purpose.")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--until", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--unit", default="", help="What the number counts (optional).")
@click.option("--number", type=Decimal, default=None, help="The number (optional).")
@click.option("--team-only", is_flag=True, help="Keep it inside the team.")
def create(
    username: str,
    team_slug: str,
    title: str,
    why: str,
    start: Any,
    end: Any,
    unit: str,
    number: Decimal | None,
    team_only: bool,
) -> None:
    """Set a target for one of your teams."""
    ready()
    from purposeful.organisation.models import Team
    from purposeful.targets import services

    member = active_member(username)
    team = Team.objects.filter(slug=team_slug).first()
    if team is None:
        fail(f"there is no team {team_slug!r}")
    target = _run(
        lambda: services.target_create(
            actor=member,
            team=team,
            title=title,
            why=why,
            period_start=start.date(),
            period_end=end.date(),
            measure_unit=unit,
            measure_target=number,
            is_shared=not team_only,
        )
    )
    click.echo(f"Target {target.pk} set for {team.name}: {target.title}")


@targets.command("check-in")
@click.argument("target_id", type=int)
@_as_option
@click.option("--learned", required=True, help="What we learned.")
@click.option("--sensed", default="", help="What we sense.")
@click.option(
    "--still-makes-sense",
    type=click.Choice(["yes", "unsure", "no"]),
    default="yes",
    show_default=True,
)
@click.option("--value", type=Decimal, default=None, help="Where we are now.")
def check_in(
    target_id: int,
    username: str,
    learned: str,
    sensed: str,
    still_makes_sense: str,
    value: Decimal | None,
) -> None:
    """Check in on TARGET_ID with a reflection."""
    ready()
    from purposeful.targets import services

    member = active_member(username)
    target = _target(member, target_id)
    _run(
        lambda: services.check_in_create(
            actor=member,
            target=target,
            learned=learned,
            sensed=sensed,
            still_makes_sense=still_makes_sense,
            value=value,
        )
    )
    click.echo(f"Checked in on {target.title}.")


@targets.command("let-go")
@click.argument("target_id", type=int)
@_as_option
@click.option("--reason", required=True, help="Why the team lets it go.")
def let_go(target_id: int, username: str, reason: str) -> None:
    """Let TARGET_ID go, with the reason: learning, not failure."""
    ready()
    from purposeful.targets import services

    member = active_member(username)
    target = _target(member, target_id)
    _run(lambda: services.target_let_go(actor=member, target=target, reason=reason))
    click.echo(f"Let go of {target.title}.")


@targets.command("delete")
@click.argument("target_id", type=int)
@_as_option
def delete(target_id: int, username: str) -> None:
    """Delete TARGET_ID with its check-ins."""
    ready()
    from purposeful.targets import services

    member = active_member(username)
    target = _target(member, target_id)
    title = target.title
    _run(lambda: services.target_delete(actor=member, target=target))
    click.echo(f"Deleted {title}.")


@targets.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_as_option
def import_targets(file: Path, username: str) -> None:
    """Set many targets from a CSV file, all or nothing.

    Columns: team (a slug), title, why, period_start, period_end (YYYY-MM-DD),
    and optionally measure_unit, measure_target, shared (yes/no). Every row
    must be for a team USERNAME is in.
    """
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read it as UTF-8 text ({error.__class__.__name__})")
    ready()
    from purposeful.targets import services

    member = active_member(username)
    try:
        rows = list(csv.DictReader(text.splitlines()))
    except csv.Error as error:
        fail(f"{file}: not a CSV file ({error})")
    from django.core.exceptions import PermissionDenied

    try:
        created = services.targets_import(actor=member, rows=rows)
    except services.ImportRefused as refused:
        for problem in refused.errors:
            click.echo(f"{file}:{problem}", err=True)
        fail(str(refused))
    except PermissionDenied as error:
        fail(str(error))
    click.echo(f"Imported {len(created)} target{'s' if len(created) != 1 else ''}.")
