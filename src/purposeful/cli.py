"""The ``purposeful`` command: parses arguments and calls services.

Django is set up only by the commands that need it, so commands such as
``purposeful review`` start fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from purposeful.lens.commands import lens, review

if TYPE_CHECKING:
    from purposeful.people.models import Member

DEMO_PASSWORD = "purposeful-demo"


class CliError(click.ClickException):
    """A clear, one-line error: printed to stderr, exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


class PurposefulGroup(click.Group):
    """Reports usage errors on one line instead of Click's usage block."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_PART_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in _PART_COMMANDS:
            import importlib

            module, name = _PART_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as error:
            hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            click.echo(f"Error: {error.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as error:
            # A database that refuses writes (read-only, disk full) or goes
            # away mid-command: one line, like every other error.
            message = _database_problem(error)
            if message is None:
                raise
            click.echo(f"Error: {message}", err=True)
            sys.exit(2)
        sys.exit(result if isinstance(result, int) else 0)


def _database_problem(error: BaseException) -> str | None:
    try:
        from django.db import DatabaseError
    except ImportError:  # pragma: no cover - Django is a dependency
        return None
    if not isinstance(error, DatabaseError):
        return None
    from purposeful.core.middleware import cannot_write_reason

    reason = cannot_write_reason(error)
    if reason is not None:
        return f"nothing was changed: {reason}"
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"the database failed: {first or type(error).__name__}"


def fail(message: str) -> NoReturn:
    """End the command with one clear line on stderr and exit status 2."""
    raise CliError(message)


def _setup_django(*, data_dir: Path | None = None, check_db: bool = True) -> None:
    """Prepare the data directory and Django; any problem ends in one clear line."""
    from purposeful.datadir import DataDirError, default_data_dir, prepare_data_dir

    if data_dir is not None:
        os.environ["PURPOSEFUL_DATA_DIR"] = str(data_dir)
    path = Path(os.environ.get("PURPOSEFUL_DATA_DIR") or default_data_dir()).resolve()
    os.environ["PURPOSEFUL_DATA_DIR"] = str(path)
    try:
        prepare_data_dir(path)
    except DataDirError as error:
        fail(str(error))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purposeful.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        fail(str(error))
    if check_db:
        from django.db import connection
        from django.db.utils import Error as DatabaseError

        try:
            connection.ensure_connection()
        except DatabaseError as error:
            first_line = (
                str(error).strip().splitlines()[0] if str(error).strip() else ""
            )
            fail(f"cannot open the database: {first_line or type(error).__name__}")


def _migrate() -> None:
    from django.core.management import call_command
    from django.db.utils import Error as DatabaseError

    try:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
    except DatabaseError as error:
        fail(f"cannot prepare the database: {str(error).strip().splitlines()[0]}")


def ready() -> None:
    """Django set up and the database migrated: how every command that reads or
    writes records starts, the parts' command groups too."""
    _setup_django()
    _migrate()


def active_member(username: str) -> Member:
    """The active member called ``username``, whom a command acts as."""
    from purposeful.people.models import Member

    member = Member.objects.filter(username=username, is_active=True).first()
    if member is None:
        fail(f"no active member is called {username!r}")
    return member


def _prepare_static() -> None:
    """Static files with content-hashed names, so browsers cache them for good.

    Collected once per version of the code into a folder every data directory
    shares; named before anything reads the static files storage, and passed
    on to the task worker through the environment.
    """
    from django.conf import settings

    from purposeful.core.staticcache import (
        StaticCacheError,
        static_collect,
        static_folder,
    )

    if not settings.HASHED_STATIC:  # DEBUG: plain names, straight from the package
        return
    folder = static_folder()
    try:
        static_collect(folder)
    except StaticCacheError as error:
        fail(str(error))
    os.environ["PURPOSEFUL_STATIC_ROOT"] = str(folder)
    settings.STATIC_ROOT = str(folder)


def _check_port(host: str, port: int) -> None:
    import socket  # here: `purposeful review` in a pre-commit hook never needs it

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            fail(f"cannot listen on {host}:{port}: {error.strerror or error}")


def _use_listen_address(host: str, port: int) -> None:
    """Links in e-mails lead to where the server listens, unless
    PURPOSEFUL_BASE_URL says otherwise; set before Django reads its settings, and
    inherited by the task worker, which sends the e-mails."""
    from purposeful.core.siteurl import listen_url

    if not os.environ.get("PURPOSEFUL_BASE_URL", "").strip():
        os.environ["PURPOSEFUL_BASE_URL"] = listen_url(host, port)


def _serve(*, host: str, port: int, workers: int, with_worker: bool) -> None:
    _check_port(host, port)
    from django.urls import reverse

    from purposeful.core.siteurl import absolute, base_url, listen_url
    from purposeful.notifications import outbox
    from purposeful.server import run

    address = listen_url(host, port)
    click.echo(f"Purposeful is running at {address}/  (Ctrl+C stops it)")
    click.echo(
        f"Data: {os.environ.get('DATABASE_URL') or os.environ['PURPOSEFUL_DATA_DIR']}"
    )
    if base_url() != address:
        click.echo(f"Links in e-mails lead to {base_url()}/ (PURPOSEFUL_BASE_URL)")
    if outbox.is_enabled():
        click.echo(
            f"E-mail: no mail server (EMAIL_HOST), so e-mails are kept in the outbox"
            f" at {absolute(reverse('notifications:outbox'))} and in {outbox.outbox_file()}"
        )
    run(host=host, port=port, workers=workers, with_task_worker=with_worker)


@click.group(
    cls=PurposefulGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="purposeful")
def main() -> None:
    """Purposeful: sales and marketing for self-managing, purpose-driven organisations.

    Every command works on the installation in PURPOSEFUL_DATA_DIR (SQLite) or
    DATABASE_URL (PostgreSQL), so it can run beside a running server.
    """


_host_option = click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
_port_option = click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on.",
)
_workers_option = click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Web worker processes.",
)
_task_worker_option = click.option(
    "--task-worker/--no-task-worker",
    default=True,
    show_default=True,
    help="Also run the background task worker (e-mail and other background work).",
)
_no_worker_option = click.option(
    "--no-worker",
    is_flag=True,
    help="The same as --no-task-worker: workers run elsewhere ('purposeful worker').",
)


@main.command()
@_host_option
@_port_option
@_workers_option
@_task_worker_option
@_no_worker_option
def serve(
    host: str, port: int, workers: int, task_worker: bool, no_worker: bool
) -> None:
    """Migrate the database, then serve Purposeful with a production-grade server."""
    os.environ["PURPOSEFUL_HASHED_STATIC"] = "1"
    _use_listen_address(host, port)
    _setup_django()
    _prepare_static()
    _migrate()
    _serve(
        host=host, port=port, workers=workers, with_worker=task_worker and not no_worker
    )


@main.command()
@_host_option
@_port_option
@_workers_option
@click.option(
    "--no-serve", is_flag=True, help="Load the demo and exit without serving."
)
def demo(host: str, port: int, workers: int, no_serve: bool) -> None:
    """Load a demo organisation (a bicycle-repair cooperative) and serve it.

    The demo lives in its own data directory unless PURPOSEFUL_DATA_DIR is set,
    and is never mixed into a directory that holds a real organisation.
    """
    from purposeful.datadir import default_data_dir

    data_dir = (
        None if os.environ.get("PURPOSEFUL_DATA_DIR") else default_data_dir(demo=True)
    )
    if not no_serve:
        os.environ["PURPOSEFUL_HASHED_STATIC"] = "1"
    _use_listen_address(host, port)
    _setup_django(data_dir=data_dir)
    if not no_serve:
        _prepare_static()
    _migrate()
    from purposeful import demo as demo_data

    try:
        created = demo_data.load(password=DEMO_PASSWORD)
    except demo_data.RealOrganisationError as error:
        fail(str(error))
    click.echo(
        "Loaded the demo organisation." if created else "The demo organisation is here."
    )
    click.echo(
        f"Sign in as any demo member, e.g. '{demo_data.SAMPLE_USERNAME}', password '{DEMO_PASSWORD}'."
    )
    click.echo("Members: " + ", ".join(demo_data.usernames()))
    if not no_serve:
        _serve(host=host, port=port, workers=workers, with_worker=True)


@main.group()
def steward() -> None:
    """Manage stewards: the people who invite members and configure the installation."""


@steward.command("create")
@click.argument("username")
@click.option("--email", default="", help="E-mail address for password resets.")
def steward_create(username: str, email: str) -> None:
    """Create a steward. Asks for the password, or reads PURPOSEFUL_PASSWORD."""
    password = os.environ.get("PURPOSEFUL_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            fail("no terminal to ask for a password: set PURPOSEFUL_PASSWORD")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    ready()
    from django.core.exceptions import ValidationError

    from purposeful.people.services import steward_create as create

    try:
        member = create(username=username, password=password, email=email)
    except ValidationError as error:
        fail(" ".join(error.messages))
    click.echo(f"Created steward {member.username}.")


@main.group()
def token() -> None:
    """Manage personal API tokens."""


@token.command("create")
@click.argument("username")
@click.option(
    "--name", default="command line", show_default=True, help="What the token is for."
)
def token_create(username: str, name: str) -> None:
    """Create a personal API token for USERNAME; the token is the last line printed."""
    ready()
    from purposeful.people.services import token_create as create

    member = active_member(username)
    _, raw = create(actor=member, member=member, name=name)
    click.echo(f"Token '{name}' for {member.username} (shown only once):")
    click.echo(raw)


def _progress_bar():
    """A Rich progress callback on a terminal; silent otherwise."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True)
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done)

    return bar, update


def _with_progress(step: Any, file: Path) -> dict:
    """Run a backup step on FILE with a progress bar on a terminal; its manifest."""
    from purposeful.backup import BackupError

    bar, update = _progress_bar()
    try:
        if bar:
            with bar:
                return step(file, progress=update)
        return step(file)
    except BackupError as error:
        fail(str(error))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write everything (all records and uploaded files) to FILE, while the app runs."""
    ready()
    from purposeful.backup import backup_write

    manifest = _with_progress(backup_write, file)
    total = sum(manifest["records"].values())
    click.echo(f"Wrote {total} records and {manifest['media_files']} files to {file}.")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Load a backup FILE into an empty installation (SQLite or PostgreSQL)."""
    ready()
    from purposeful.backup import backup_restore

    manifest = _with_progress(backup_restore, file)
    total = sum(manifest["records"].values())
    click.echo(
        f"Restored {total} records and {manifest['media_files']} files from {file}."
    )


@main.command()
def worker() -> None:
    """Run the background task worker on its own (serve starts one by default)."""
    ready()
    from django.core.management import call_command

    call_command("task_worker")


@main.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Lines for people, or one JSON object for monitoring.",
)
def status(output: str) -> None:
    """Show background work: workers, waiting and running tasks, failures.

    Exits 1 when work is stuck, so a monitoring check can run it as it is.
    """
    ready()
    from purposeful.operations.services import health

    current = health()
    if output == "json":
        click.echo(json.dumps(current.as_dict(), indent=2))
        sys.exit(0 if current.ok else 1)
    for problem in current.problems:
        click.echo(f"Problem: {problem}")
    oldest = (
        f", the oldest since {current.oldest_waiting_at:%Y-%m-%d %H:%M:%S}"
        if current.oldest_waiting_at
        else ""
    )
    click.echo(f"Waiting: {current.waiting}{oldest}")
    click.echo(f"Running: {current.running}")
    click.echo(f"Failed in the last day: {current.failed_last_day}")
    click.echo(f"Workers alive: {current.workers_alive}")
    for worker in current.workers:
        state = "alive" if worker.alive else "gone"
        click.echo(
            f"  {worker.host}, process {worker.pid}: {state}, last heard "
            f"{worker.seen_at:%Y-%m-%d %H:%M:%S}, {worker.tasks_done} tasks done"
        )
    for failure in current.failures:
        click.echo(f"  failed: {failure.task}: {failure.error}")
    sys.exit(0 if current.ok else 1)


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. 'purposeful manage check --deploy'."""
    _setup_django(check_db=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["purposeful manage", *args])


main.add_command(review)
main.add_command(lens)


# Each part keeps its commands in its own module, imported when its command runs
# (or for --help), so that `purposeful review` does not pay for them.
_PART_COMMANDS = {
    "targets": ("purposeful.targets.commands", "targets"),
    "import": ("purposeful.exchange.commands", "import_"),
    "export": ("purposeful.exchange.commands", "export"),
    "notifications": ("purposeful.notifications.commands", "notifications"),
    "sensing": ("purposeful.sensing.commands", "sensing"),
}


if __name__ == "__main__":  # pragma: no cover
    main()
