"""Backup and restore of a whole installation, in a documented, versioned format.

A backup is a zip file::

    manifest.json              {"format": "purposeful-backup", "version": 1, ...}
    data/<app>.<model>.jsonl   one record a line, Django's serialised form
                               (pk + fields, natural keys for content types)
    media/<path>               uploaded files, by their names in the storage

Records are read from one consistent snapshot while the app keeps running: a
read-only repeatable-read transaction on PostgreSQL, a deferred read
transaction in WAL mode on SQLite. ``restore`` loads a backup into an empty installation on either
database, so a backup moves between SQLite and PostgreSQL. Uploaded files are
read and written through Django's default storage, so the same backup moves
between the data directory's media folder and an S3-compatible object store.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, NoReturn, cast

from auditlog.context import disable_auditlog
from django.apps import apps
from django.core import serializers
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    ValidationError,
)
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DataError, IntegrityError, connections, transaction
from django.db.models import ManyToManyField, Model

import purposeful

FORMAT = "purposeful-backup"
VERSION = 1
# records inserted per statement group when restoring
LOAD_BATCH = 1000

# Transient or derived tables: recreated by migrations or worthless elsewhere.
EXCLUDED = {
    # answers kept a day for API retries (Idempotency-Key): nothing to restore
    "core.idempotencykey",
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "axes.accessattemptexpiration",
    "django_tasks_database.dbtaskresult",
    # the workers of this installation and its alerts about them
    "operations.workerheartbeat",
    "operations.stuckalert",
    # kept by database triggers as the signals are restored
    "feedback.inboxcount",
}

# Bounds on what a restore inflates, checked on the zip's directory before any
# member is read, so that a crafted file ends in one clear line.
MAX_ENTRIES = 1_000_000
MAX_MANIFEST_BYTES = 1 << 20
MAX_RECORD_BYTES = 64 << 20  # one line of a table file
# Deflate reaches about 1,000:1 on repeated bytes; records and uploads stay
# far below 200:1. Small members cannot inflate to much whatever their ratio.
MAX_RATIO = 200
RATIO_FROM = 1 << 20
COPY_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")

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


def _stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """The name of every file in the storage, folder by folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no upload yet: the media folder is not there
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from _stored_files(storage, f"{folder}/{name}" if folder else name)


def _storage_failed(action: str, name: str, error: Exception) -> NoReturn:
    # OSError from the media folder, botocore's errors from an object store
    lines = str(error).strip().splitlines()
    reason = getattr(error, "strerror", None) or (lines[0] if lines else "")
    raise BackupError(
        f"cannot {action} the uploaded file {name}: {reason or type(error).__name__}"
    ) from None


def backup_write(path: Path, *, progress: Progress | None = None) -> dict:
    """Write a backup of everything to ``path``; returns the manifest."""
    models = backed_up_models()
    counts: dict[str, int] = {}
    storage = default_storage
    try:
        media = sorted(_stored_files(storage))
    except Exception as error:
        _storage_failed("list", "folder", error)
    tmp_path = path.with_name(path.name + ".partial")
    try:
        # Private from the first byte: a backup holds every record and password hash.
        fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # os.open's mode applies to a new file only
        with (
            os.fdopen(fd, "wb") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            with _snapshot():
                for done, model in enumerate(models, start=1):
                    label = _label(model)
                    queryset = _for_serializing(model)
                    with archive.open(f"data/{label}.jsonl", "w") as out:
                        lines = _LineSerializer(out)
                        lines.serialize(
                            queryset.iterator(chunk_size=2000),
                            use_natural_foreign_keys=True,
                        )
                        count = lines.written
                    counts[label] = count
                    if progress:
                        progress("tables", done, len(models))
            for done, name in enumerate(media, start=1):
                _copy_into(archive, storage, name)
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


class _LineSerializer(PythonSerializer):
    """Django's serialised form, one JSON line a record, written as it goes
    (not a table's records held in a list), and many-to-many values read from
    the prefetched rows without building a query per record."""

    def __init__(self, out: Any) -> None:
        super().__init__()
        self.out = out
        self.written = 0

    def end_object(self, obj: Model) -> None:
        record = self.get_dump_object(obj)
        self.out.write(
            json.dumps(record, cls=_Encoder, sort_keys=True).encode() + b"\n"
        )
        self.written += 1
        self._current = None

    def handle_m2m_field(self, obj: Model, field: Any) -> None:
        prefetched = getattr(obj, "_prefetched_objects_cache", {})
        if (
            field.name not in prefetched
            or not field.remote_field.through._meta.auto_created
        ):
            super().handle_m2m_field(obj, field)
            return
        natural = self.use_natural_foreign_keys and hasattr(
            field.remote_field.model, "natural_key"
        )
        # start_object has set the record being written
        current = cast(dict[str, Any], self._current)
        current[field.name] = [
            related.natural_key()
            if natural
            # PythonSerializer's own helper, left out of django-stubs
            else self._value_from_field(related, related._meta.pk)  # type: ignore[attr-defined]
            for related in prefetched[field.name]
        ]


def _for_serializing(model: type[Model]):
    """The model's rows in pk order, with what the serializer reads of other rows
    fetched in the same queries: a tag list or a natural key read one row at a
    time made a backup of 200,000 signals take minutes."""
    natural = [
        f.name
        for f in model._meta.concrete_fields
        # a many-to-one field always has its remote_field
        if f.many_to_one and hasattr(cast(Any, f.remote_field).model, "natural_key")
    ]
    many = [
        f.name
        for f in model._meta.local_many_to_many
        # a many-to-many field always has its through model once models are loaded
        if cast(type[Model], f.remote_field.through)._meta.auto_created
    ]
    return (
        model._base_manager.order_by("pk")
        .select_related(*natural)
        .prefetch_related(*many)
    )


def _copy_into(archive: zipfile.ZipFile, storage: Storage, name: str) -> None:
    try:
        source = storage.open(name, "rb")
    except Exception as error:
        _storage_failed("read", name, error)
    with source, archive.open(f"media/{name}", "w") as out:
        while True:
            try:
                chunk = source.read(COPY_CHUNK)
            except Exception as error:
                _storage_failed("read", name, error)
            if not chunk:
                break
            out.write(chunk)


def _fail_damaged(path: Path, name: str, error: BaseException) -> NoReturn:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
    raise BackupError(
        f"{path} is damaged ({name}: {reason or type(error).__name__})"
    ) from None


# Everything that reading a damaged or crafted zip member can raise.
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # an encrypted member
)

# What Django's deserializer lets through besides DeserializationError.
_RECORD_ERRORS = (
    DeserializationError,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    ValidationError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
)


def _is_safe_name(name: str) -> bool:
    """A member name that stays inside the folder it is extracted to."""
    if not name or "\\" in name or "\x00" in name:
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") and not _DRIVE.match(part) for part in parts)


@dataclass
class _Plan:
    """What a backup holds, checked entry by entry before anything is restored."""

    manifest: dict
    tables: list[tuple[str, zipfile.ZipInfo]]  # in the order they load
    media: list[tuple[zipfile.ZipInfo, tuple[str, ...]]]


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a directory, not a backup") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise BackupError(f"{path} is not a readable backup: {error}") from None


def _read_manifest(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, path: Path
) -> dict:
    if info is None or info.file_size > MAX_MANIFEST_BYTES:
        raise BackupError(
            f"{path} is not a Purposeful backup (no readable manifest.json)"
        )
    try:
        with archive.open(info) as file:
            raw = file.read(MAX_MANIFEST_BYTES + 1)
    except _READ_ERRORS as error:
        _fail_damaged(path, info.filename, error)
    try:
        manifest = json.loads(raw)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict):
        raise BackupError(
            f"{path} is not a Purposeful backup (no readable manifest.json)"
        )
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Purposeful backup")
    if manifest.get("version") != VERSION:
        version = str(manifest.get("version"))[:20]
        raise BackupError(
            f"{path} has backup format version {version}; this Purposeful reads version {VERSION}"
        )
    records = manifest.get("records")
    if not (
        isinstance(records, dict)
        and all(
            isinstance(count, int) and not isinstance(count, bool) and count >= 0
            for count in records.values()
        )
        and isinstance(manifest.get("media_files"), int)
    ):
        raise BackupError(
            f"{path} is damaged (manifest.json: records or media_files are not counts)"
        )
    return manifest


def _plan(archive: zipfile.ZipFile, path: Path) -> _Plan:
    """Check the list of entries and the manifest: names, sizes, tables, counts."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise BackupError(
            f"{path} holds {len(infos)} entries; a backup holds at most {MAX_ENTRIES}"
        )
    seen: set[str] = set()
    manifest_info = None
    data: dict[str, zipfile.ZipInfo] = {}
    media: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    for info in infos:
        name = info.filename
        if not _is_safe_name(name):
            raise BackupError(f"the backup holds an unsafe file name: {name!r}")
        if name in seen:
            raise BackupError(f"the backup holds {name!r} twice")
        seen.add(name)
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise BackupError(
                f"{path} is not a usable backup: {name!r} would inflate"
                f" {info.file_size // max(info.compress_size, 1)} times"
                f" to {info.file_size:,} bytes (a zip bomb?)"
            )
        if name == "manifest.json":
            manifest_info = info
        elif (
            name.startswith("data/")
            and name.endswith(".jsonl")
            and name.count("/") == 1
        ):
            data[name.removeprefix("data/").removesuffix(".jsonl")] = info
        elif name.startswith("media/") and name != "media/":
            if not info.is_dir():
                media.append((info, tuple(name.split("/")[1:])))
        else:
            raise BackupError(f"the backup holds an unexpected entry: {name!r}")
    manifest = _read_manifest(archive, manifest_info, path)
    known = [_label(model) for model in backed_up_models()]
    unknown = set(manifest["records"]) - set(known)
    if unknown:
        raise BackupError(
            f"the backup holds tables this version does not know: {', '.join(sorted(unknown)[:10])}"
        )
    missing = sorted(set(manifest["records"]) - set(data))
    if missing:
        raise BackupError(f"{path} is damaged (no data/{missing[0]}.jsonl)")
    unlisted = sorted(set(data) - set(manifest["records"]))
    if unlisted:
        raise BackupError(
            f"{path} is damaged (data/{unlisted[0]}.jsonl is not in the manifest)"
        )
    if len(media) != manifest["media_files"]:
        raise BackupError(
            f"{path} is damaged (the manifest lists {manifest['media_files']} files,"
            f" the backup holds {len(media)})"
        )
    tables = [(label, data[label]) for label in known if label in data]
    return _Plan(manifest=manifest, tables=tables, media=media)


def _records(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, path: Path
) -> Generator[dict, None, None]:
    """The records of one table file, each checked to be a record of that table."""
    name = info.filename
    pks: set[str] = set()
    number = 0
    try:
        file = archive.open(info)
    except _READ_ERRORS as error:
        _fail_damaged(path, name, error)
    with file:
        while True:
            try:
                line = file.readline(MAX_RECORD_BYTES + 1)
            except _READ_ERRORS as error:
                _fail_damaged(path, name, error)
            if not line:
                break
            number += 1
            where = f"{path} is damaged ({name}, line {number}"
            if len(line) > MAX_RECORD_BYTES:
                raise BackupError(f"{where}: longer than {MAX_RECORD_BYTES:,} bytes)")
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise BackupError(f"{where}: not JSON: {error})") from None
            if not (
                isinstance(record, dict)
                and isinstance(record.get("fields"), dict)
                and record.get("pk") is not None
                and set(record) <= {"model", "pk", "fields"}
            ):
                raise BackupError(f"{where}: not a record)")
            if record.get("model") != label:
                # A row of another table (a session, say) has no place here.
                model = str(record.get("model"))[:60]
                raise BackupError(f"{where}: a record of {model!r}, not of {label})")
            key = json.dumps(record["pk"])
            if key in pks:
                raise BackupError(f"{where}: record {key[:40]} again)")
            pks.add(key)
            yield record


def _installation_is_empty() -> bool:
    return not any(
        model._base_manager.exists()
        for model in backed_up_models()
        if model.__module__.startswith("purposeful.")
    )


def _deserialized(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, path: Path
) -> Generator[serializers.base.DeserializedObject, None, None]:
    # Closed however the reading ends, so the member's file never outlives it.
    with closing(_records(archive, info, label, path)) as records:
        objects = serializers.deserialize(
            "python", records, handle_forward_references=True
        )
        while True:
            try:
                obj = next(objects)
            except StopIteration:
                return
            except _RECORD_ERRORS as error:
                first = str(error).strip().splitlines()[0] if str(error).strip() else ""
                raise BackupError(
                    f"{path} is damaged ({info.filename}: {first[:300] or type(error).__name__})"
                ) from None
            yield obj


def _check_space(plan: _Plan, storage: Storage, path: Path) -> None:
    if not isinstance(storage, FileSystemStorage):
        return  # an object store says when it is full, on the first file
    media_root = Path(storage.location)
    needed = sum(info.file_size for info, _ in plan.media)
    existing = next(p for p in (media_root, *media_root.parents) if p.exists())
    free = shutil.disk_usage(existing).free
    if needed > free:
        raise BackupError(
            f"{path} holds {needed:,} bytes of files; only {free:,} are free"
            f" for {media_root}"
        )


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path
) -> Iterator[bytes]:
    """A member's bytes, chunk by chunk; its checksum is checked at the end."""
    try:
        source = archive.open(info)
    except _READ_ERRORS as error:
        _fail_damaged(path, info.filename, error)
    with source:
        while True:
            try:
                chunk = source.read(COPY_CHUNK)
            except _READ_ERRORS as error:
                _fail_damaged(path, info.filename, error)
            if not chunk:
                return
            yield chunk


def _check_media(
    archive: zipfile.ZipFile, plan: _Plan, path: Path, progress: Progress | None
) -> None:
    """Inflate every uploaded file without keeping it, so a damaged one is found
    before anything is written."""
    for done, (info, _) in enumerate(plan.media, start=1):
        for _chunk in _read_member(archive, info, path):
            pass
        if progress:
            progress("checking files", done, len(plan.media))


def _save_media(
    archive: zipfile.ZipFile,
    plan: _Plan,
    storage: Storage,
    path: Path,
    saved: list[str],
    progress: Progress | None,
) -> None:
    """Write every uploaded file under its own name, through the storage."""
    for done, (info, parts) in enumerate(plan.media, start=1):
        name = "/".join(parts)
        with tempfile.SpooledTemporaryFile(max_size=8 * COPY_CHUNK) as copy:
            for chunk in _read_member(archive, info, path):
                copy.write(chunk)
            copy.seek(0)
            try:
                if storage.exists(name):
                    storage.delete(name)  # a leftover of an earlier installation
                stored = storage.save(name, File(copy, name=parts[-1]))
            except Exception as error:
                _storage_failed("write", name, error)
        saved.append(stored)
        if stored != name:
            raise BackupError(f"cannot write the uploaded file {name}: it is there")
        if progress:
            progress("files", done, len(plan.media))


def _load(
    archive: zipfile.ZipFile, plan: _Plan, path: Path, progress: Progress | None
) -> None:
    """Save every record; runs inside the restore's one transaction, so a
    damaged table found half way leaves nothing behind."""
    connection = connections["default"]
    known = {_label(model): model for model in backed_up_models()}
    loaded: list[type[Model]] = []
    deferred = []  # records pointing forward to rows loaded later
    with connection.constraint_checks_disabled():
        for done, (label, info) in enumerate(plan.tables, start=1):
            model = known[label]
            batch: list[serializers.base.DeserializedObject] = []
            count = 0
            with closing(_deserialized(archive, info, label, path)) as objects:
                for obj in objects:
                    count += 1
                    if obj.deferred_fields or model._meta.parents:
                        obj.save()  # one at a time, as Django's loaddata does
                        if obj.deferred_fields:
                            deferred.append(obj)
                        continue
                    batch.append(obj)
                    if len(batch) >= LOAD_BATCH:
                        _insert(model, batch)
                        batch = []
            _insert(model, batch)
            expected = plan.manifest["records"][label]
            if count != expected:
                raise BackupError(
                    f"{path} is damaged ({info.filename} holds {count} records,"
                    f" the manifest says {expected})"
                )
            loaded.append(model)
            if progress:
                progress("tables", done, len(plan.tables))
        for obj in deferred:
            obj.save_deferred_fields()
        connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    _reset_sequences(loaded)


def _insert(
    model: type[Model], batch: list[serializers.base.DeserializedObject]
) -> None:
    """Insert rows as they were, in few statements: raw, so that fields such as
    ``auto_now`` keep the backup's values, as ``DeserializedObject.save`` does."""
    if not batch:
        return
    connection = connections["default"]
    fields = model._meta.local_concrete_fields
    rows = [obj.object for obj in batch]
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        # QuerySet._insert, reached through the manager; django-stubs leave it out
        model._base_manager._insert(  # type: ignore[attr-defined]
            rows[start : start + size], fields=fields, raw=True, using=connection.alias
        )
    links: dict[type[Model], list[Model]] = {}
    for obj in batch:
        for name, pks in (obj.m2m_data or {}).items():
            # m2m_data holds the model's many-to-many fields only
            field = cast("ManyToManyField[Any, Any]", model._meta.get_field(name))
            through = cast(type[Model], field.remote_field.through)
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links.setdefault(through, []).extend(
                through(**{f"{source}_id": obj.object.pk, f"{target}_id": pk})
                for pk in pks
            )
    for through, objects in links.items():
        through._base_manager.bulk_create(objects, batch_size=LOAD_BATCH)


def backup_restore(path: Path, *, progress: Progress | None = None) -> dict:
    """Load a backup into this (empty, migrated) installation; returns the manifest.

    The backup is checked first: its entries and their sizes, the manifest and
    every file. Then the records are saved in one transaction, which a damaged
    record undoes, and the files written through the default storage (the media
    folder or an object store): everything is restored, or (with a BackupError
    saying why) nothing.
    """
    storage = default_storage
    with _open(path) as archive:
        plan = _plan(archive, path)
        if not _installation_is_empty():
            raise BackupError(
                "this installation already holds data; restore into an empty one (a new PURPOSEFUL_DATA_DIR or database)"
            )
        _check_space(plan, storage, path)
        _check_media(archive, plan, path, progress)
        saved: list[str] = []
        try:
            # The restored log already tells the history; replaying must not add to it.
            with disable_auditlog(), transaction.atomic():
                _load(archive, plan, path, progress)
                _save_media(archive, plan, storage, path, saved, progress)
        except (IntegrityError, DataError, *_RECORD_ERRORS) as error:
            _remove(storage, saved)
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise BackupError(
                f"nothing was restored: the records of {path} do not fit together"
                f" ({first[:300] or type(error).__name__})"
            ) from None
        except BaseException:
            _remove(storage, saved)
            raise
    return plan.manifest


def _remove(storage: Storage, names: list[str]) -> None:
    """Take back the files a failed restore wrote, as far as the storage lets us."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # the restore's own error is the one to report
            continue


def _reset_sequences(models: list[type[Model]]) -> None:
    connection = connections["default"]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
