"""``purposeful import`` and ``purposeful export``: customer records in and out.

They act as a member (``--as USERNAME``) through the same services as the pages
and the API; any refusal is one line on stderr and exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from purposeful.cli import active_member, fail, ready

KINDS = ("accounts", "contacts", "signals", "conversations")
FORMATS = ("csv", "plain-csv", "json")  # as in exporting, which needs Django


def _problems(job: Any, limit: int = 20) -> None:
    for problem in job.problems[:limit]:
        what = "; ".join(problem["errors"]) or problem["duplicate"]
        kind = "error" if problem["errors"] else "duplicate"
        click.echo(f"  line {problem['line']}: {kind}: {what}", err=True)
    hidden = job.error_rows + job.duplicate_rows - min(limit, len(job.problems))
    if hidden > 0:
        click.echo(f"  … and {hidden} more", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--team",
    "team_slug",
    required=True,
    help="Slug of the team the customers belong to.",
)
@click.option(
    "--as", "username", required=True, help="Username of the member importing."
)
@click.option(
    "--encoding", default="", help="The file's encoding (detected when not given)."
)
@click.option(
    "--delimiter",
    default="",
    help="The column separator, e.g. ';' or tab (detected when not given).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only check the file and show what would be imported.",
)
def import_(
    file: Path,
    team_slug: str,
    username: str,
    encoding: str,
    delimiter: str,
    dry_run: bool,
) -> None:
    """Import accounts and contacts from a CRM's CSV export: all rows or none."""
    ready()
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import ngettext

    from purposeful.cli import _progress_bar
    from purposeful.exchange import services
    from purposeful.organisation.models import Team

    actor = active_member(username)
    team = Team.objects.filter(slug=team_slug).first()
    if team is None:
        fail(f"there is no team {team_slug!r}")
    bar, update = _progress_bar()
    progress = None
    if update:

        def progress(done: int, total: int) -> None:
            update("Importing", done, total or 1)

    try:
        with file.open("rb") as handle:
            job = services.import_preview(
                actor=actor,
                team=team,
                data=handle,
                filename=file.name,
                encoding=encoding,
                delimiter=delimiter,
            )
        click.echo(
            f"{job.total_rows} rows ({job.encoding_label}, '{job.delimiter}'): "
            f"{job.planned_accounts} new customers, {job.planned_contacts} new "
            f"contacts, {job.duplicate_rows} duplicates, {job.error_rows} with errors."
        )
        if job.ignored_columns:
            click.echo(
                "Columns left out (no field reads them): "
                + ", ".join(job.ignored_columns)
            )
        if job.problems:
            _problems(job)
        if job.error_rows:
            fail(
                ngettext(
                    "%(count)d row has errors; nothing was imported",
                    "%(count)d rows have errors; nothing was imported",
                    job.error_rows,
                )
                % {"count": job.error_rows}
            )
        if dry_run:
            return
        if bar:
            with bar:
                job = services.import_commit(actor=actor, job=job, progress=progress)
        else:
            job = services.import_commit(actor=actor, job=job)
    except PermissionDenied as error:
        fail(str(error))
    except ValidationError as error:
        fail(" ".join(error.messages))
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")
    if job.state != job.State.DONE:
        fail(job.message or "nothing was imported")
    click.echo(
        f"Imported {job.accounts_created} customers and {job.contacts_created} "
        f"contacts into {team.name}; left out {job.duplicate_rows} duplicates."
    )


@click.command("export")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="csv opens safely in a spreadsheet (a byte-order mark; a value that "
    "starts like a formula gets a leading '); plain-csv keeps every value as "
    "stored; json.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (standard output when not given).",
)
@click.option(
    "--as", "username", required=True, help="Username of the member exporting."
)
def export(kind: str, fmt: str, output: Path | None, username: str) -> None:
    """Export every account, contact, signal or conversation as CSV or JSON."""
    ready()
    from django.core.exceptions import PermissionDenied

    from purposeful.exchange import services

    actor = active_member(username)
    try:
        chunks = services.export_chunks(actor=actor, kind=kind, fmt=fmt)
    except PermissionDenied as error:
        fail(str(error))
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    try:
        with output.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    click.echo(f"Wrote {kind} to {output}.", err=True)
