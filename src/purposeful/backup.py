"""Backup and restore of a whole installation, in a documented, versioned format.

A backup is a zip file::

    manifest.json              {"format": "purposeful-backup", "version": 1, ...}
    data/<app>.<model>.jsonl   one record a line, Django's serialised form
                               (pk + fields, natural keys for content types)
    media/<path>               uploaded files, as they are in MEDIA_ROOT

Records are read from one consistent snapshot while the app keeps running: a
read-only repeatable-read transaction on PostgreSQL, a deferred read
transaction in WAL mode on SQLite. ``restore`` loads a backup into an empty installation on either
database, so a backup moves between SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path, PurePosixPath

from auditlog.context import disable_auditlog
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.db.models import Model

import purposeful

FORMAT = "purposeful-backup"
VERSION = 1

# Transient or derived tables: recreated by migrations or worthless elsewhere.
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "axes.accessattemptexpiration",
    "django_tasks_database.dbtaskresult",
}

Progress = Callable[[str, int, int], None]


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds: a backup loses nothing."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why in one line."""


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[Model]]:
    """Every model whose rows a backup holds, parents before the rows that point at them."""
    app_list = dict.fromkeys(apps.get_app_configs())
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        model
        for model in ordered
        if _label(model) not in EXCLUDED
        and model._meta.managed
        and not model._meta.proxy
    ]


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read one consistent state of the data while others keep writing."""
    connection = connections["default"]
    if connection.in_atomic_block:
        # Already inside a transaction: it is the snapshot.
        yield
    elif connection.vendor == "sqlite":
        # A deferred transaction takes no write lock; in WAL mode it reads the
        # database as it was at its first read, while writers carry on.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
            yield


def backup_write(path: Path, *, progress: Progress | None = None) -> dict:
    """Write a backup of everything to ``path``; returns the manifest."""
    models = backed_up_models()
    counts: dict[str, int] = {}
    media_root = Path(settings.MEDIA_ROOT)
    media = (
        sorted(p for p in media_root.rglob("*") if p.is_file())
        if media_root.exists()
        else []
    )
    tmp_path = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(
            tmp_path, "w", compression=zipfile.ZIP_DEFLATED
        ) as archive:
            with _snapshot():
                for done, model in enumerate(models, start=1):
                    label = _label(model)
                    queryset = model._base_manager.order_by("pk")
                    count = 0
                    with archive.open(f"data/{label}.jsonl", "w") as out:
                        for record in serializers.serialize(
                            "python",
                            queryset.iterator(chunk_size=2000),
                            use_natural_foreign_keys=True,
                        ):
                            out.write(
                                json.dumps(
                                    record, cls=_Encoder, sort_keys=True
                                ).encode()
                                + b"\n"
                            )
                            count += 1
                    counts[label] = count
                    if progress:
                        progress("tables", done, len(models))
            for done, file in enumerate(media, start=1):
                archive.write(file, f"media/{file.relative_to(media_root).as_posix()}")
                if progress:
                    progress("files", done, len(media))
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "purposeful": purposeful.__version__,
                "created_at": datetime.now(UTC).isoformat(),
                "database": connections["default"].vendor,
                "records": counts,
                "media_files": len(media),
            }
            archive.writestr(
                "manifest.json", json.dumps(manifest, indent=2, sort_keys=True)
            )
        tmp_path.replace(path)
    except OSError as error:
        tmp_path.unlink(missing_ok=True)
        raise BackupError(f"cannot write {path}: {error.strerror or error}") from None
    return manifest


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError(
            f"{path} is not a Purposeful backup (no readable manifest.json)"
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Purposeful backup")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{path} has backup format version {manifest.get('version')}; this Purposeful reads version {VERSION}"
        )
    return manifest


def _installation_is_empty() -> bool:
    return not any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model.__module__.startswith("purposeful.")
    )


def backup_restore(path: Path, *, progress: Progress | None = None) -> dict:
    """Load a backup into this (empty, migrated) installation; returns the manifest."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is not a readable backup: {error}") from None
    with archive:
        manifest = _read_manifest(archive, path)
        if not _installation_is_empty():
            raise BackupError(
                "this installation already holds data; restore into an empty one (a new PURPOSEFUL_DATA_DIR or database)"
            )
        known = {_label(model): model for model in backed_up_models()}
        unknown = set(manifest["records"]) - set(known)
        if unknown:
            raise BackupError(
                f"the backup holds tables this version does not know: {', '.join(sorted(unknown))}"
            )
        connection = connections["default"]
        loaded: list[type[Model]] = []
        deferred = []  # records pointing forward to rows loaded later
        # The restored log already tells the history; replaying must not add to it.
        with (
            disable_auditlog(),
            transaction.atomic(),
            connection.constraint_checks_disabled(),
        ):
            labels = [label for label in known if label in manifest["records"]]
            for done, label in enumerate(labels, start=1):
                lines = archive.read(f"data/{label}.jsonl").splitlines()
                records = (json.loads(line) for line in lines if line.strip())
                for obj in serializers.deserialize(
                    "python", records, handle_forward_references=True
                ):
                    obj.save()
                    if obj.deferred_fields:
                        deferred.append(obj)
                loaded.append(known[label])
                if progress:
                    progress("tables", done, len(labels))
            for obj in deferred:
                obj.save_deferred_fields()
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
        _reset_sequences(loaded)
        media_root = Path(settings.MEDIA_ROOT)
        members = [
            n
            for n in archive.namelist()
            if n.startswith("media/") and not n.endswith("/")
        ]
        for done, name in enumerate(members, start=1):
            relative = PurePosixPath(name).relative_to("media")
            if relative.is_absolute() or ".." in relative.parts:
                raise BackupError(f"the backup holds an unsafe file name: {name}")
            target = media_root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
            if progress:
                progress("files", done, len(members))
    return manifest


def _reset_sequences(models: list[type[Model]]) -> None:
    connection = connections["default"]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
