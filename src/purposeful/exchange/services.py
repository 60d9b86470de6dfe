"""Every write of import and export: preview, commit, and the export files."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from purposeful.core.limits import max_length
from purposeful.exchange import csvimport
from purposeful.exchange.csvimport import ImportFileError, Row
from purposeful.exchange.models import ImportJob
from purposeful.organisation.models import Team
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, signed_in
from purposeful.relationships.models import Account, Contact

MAX_PROBLEMS_SHOWN = 500
PROGRESS_EVERY = 2000
BATCH = 2000

Progress = Callable[[int, int], None]


@dataclass
class Checked:
    rows: list[Row]  # the rows to write, when asked to keep them
    total: int
    new_accounts: int
    new_contacts: int
    errors: int
    duplicates: int
    problems: list[dict[str, Any]]


def _account_keys(accounts: Any) -> dict[str, int]:
    # Lowered in Python, as the rows are: SQLite's LOWER() lowers ASCII only, so
    # "Ølstue" read back from it would not match the row that created it.
    return {name.lower(): pk for pk, name in accounts.values_list("pk", "name")}


def _existing(team: Team) -> tuple[dict[str, int], set[str], set[tuple[int, str]]]:
    accounts = _account_keys(Account.objects.filter(team=team).order_by("pk"))
    emails = set(
        Contact.objects.exclude(email="").values_list("email", flat=True).iterator()
    )
    emails = {e.lower() for e in emails}
    named = {
        (account_id, name.lower())
        for account_id, name in Contact.objects.filter(account__team=team)
        .values_list("account_id", "name")
        .iterator()
    }
    return accounts, emails, named


def check_rows(
    team: Team,
    parsed: csvimport.ParsedFile,
    progress: Progress | None = None,
    *,
    keep: bool = False,
) -> Checked:
    """Every row checked, and duplicates found against the records and the file.

    Only the rows to write are kept, and only when ``keep`` is set: a preview
    needs the counts and the first problems, not a row object per line.
    """
    accounts, emails, named = _existing(team)
    seen_accounts: set[str] = set()
    seen_contacts: set[tuple[str, str]] = set()
    result: list[Row] = []
    problems: list[dict[str, Any]] = []
    total = new_accounts = new_contacts = errors = duplicates = 0
    for index, row in enumerate(csvimport.rows(parsed), start=1):
        total = index
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, 0)
        if row.errors:
            errors += 1
            _problem(problems, row)
            continue
        account_key = row.account_name.lower()
        account_id = accounts.get(account_key)
        contact_key = (account_key, row.contact_name.lower())
        if row.has_contact:
            if row.email and row.email in emails:
                row.duplicate = f"{row.email} is already a contact."
            elif (
                account_id is not None
                and (account_id, row.contact_name.lower()) in named
            ):
                row.duplicate = (
                    f"{row.contact_name} is already a contact of {row.account_name}."
                )
            elif contact_key in seen_contacts:
                row.duplicate = "The same contact is on an earlier line."
        elif account_id is not None:
            row.duplicate = f"{row.account_name} is already a customer of {team.name}."
        elif account_key in seen_accounts:
            row.duplicate = "The same customer is on an earlier line."
        if row.duplicate:
            duplicates += 1
            _problem(problems, row)
            continue
        if keep:
            result.append(row)
        if account_id is None and account_key not in seen_accounts:
            new_accounts += 1
        seen_accounts.add(account_key)
        if row.has_contact:
            new_contacts += 1
            seen_contacts.add(contact_key)
            if row.email:
                emails.add(row.email)
    return Checked(
        result, total, new_accounts, new_contacts, errors, duplicates, problems
    )


def _problem(problems: list[dict[str, Any]], row: Row) -> None:
    if len(problems) < MAX_PROBLEMS_SHOWN:
        problems.append(
            {
                "line": row.line,
                "name": (row.contact_name or row.account_name)[:80],
                "errors": row.errors,
                "duplicate": row.duplicate,
            }
        )


def import_preview(
    *,
    actor: Actor,
    team: Team,
    data: bytes | BinaryIO,
    filename: str,
    encoding: str = "",
    delimiter: str = "",
    progress: Progress | None = None,
) -> ImportJob:
    """Read and check a file without writing a record: the dry run.

    ``data`` is the file's bytes or the open file (an upload): a file over the
    size limit is refused before it is read, and it is read in chunks.
    """
    check(actor, Action.IMPORT_RECORDS, team)
    try:
        parsed = csvimport.open_file(data, encoding=encoding, delimiter=delimiter)
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None
    checked = check_rows(team, parsed, progress)
    return ImportJob.objects.create(
        team=team,
        created_by=signed_in(actor),
        filename=filename[: max_length(ImportJob, "filename")],
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        mapping={name: parsed.headers[i] for name, i in parsed.mapping.items()},
        ignored_columns=parsed.ignored,
        content=parsed.text,
        total_rows=checked.total,
        error_rows=checked.errors,
        duplicate_rows=checked.duplicates,
        planned_accounts=checked.new_accounts,
        planned_contacts=checked.new_contacts,
        problems=checked.problems,
    )


def _parsed(job: ImportJob) -> csvimport.ParsedFile:
    try:
        return csvimport.open_text(
            job.content, encoding=job.encoding, delimiter=job.delimiter
        )
    except ImportFileError as error:
        raise ValidationError(str(error)) from None


def import_request(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Confirm a checked import; it is written in the background."""
    check(actor, Action.IMPORT_RECORDS, job)
    if job.state != ImportJob.State.PREVIEWED:
        raise ValidationError("This import was already confirmed or discarded.")
    if job.error_rows:
        raise ValidationError(
            ngettext(
                "%(count)d row has errors: fix the file and upload it again. "
                "Nothing was imported.",
                "%(count)d rows have errors: fix the file and upload it again. "
                "Nothing was imported.",
                job.error_rows,
            )
            % {"count": job.error_rows}
        )
    from purposeful.exchange.tasks import import_run

    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.QUEUED)
    job.state = ImportJob.State.QUEUED
    transaction.on_commit(lambda: import_run.enqueue(job.pk))
    return job


def import_discard(*, actor: Actor, job: ImportJob) -> ImportJob:
    check(actor, Action.IMPORT_RECORDS, job)
    if job.state != ImportJob.State.PREVIEWED:
        raise ValidationError(
            "Only an import waiting for confirmation can be discarded."
        )
    job.state = ImportJob.State.DISCARDED
    job.content = ""
    job.save(update_fields=["state", "content"])
    return job


def import_commit(
    *, actor: Actor, job: ImportJob, progress: Progress | None = None
) -> ImportJob:
    """Write a checked import: every new row, or — on any error — none of them.

    Rows are checked again (records may have changed since the preview);
    duplicates are left out and counted.
    """
    check(actor, Action.IMPORT_RECORDS, job)
    if job.state not in {ImportJob.State.PREVIEWED, ImportJob.State.QUEUED}:
        raise ValidationError("This import was already written or discarded.")
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.IMPORTING)
    started = time.perf_counter()

    def checking(done: int, _: int) -> None:
        # reading and checking is the first half of the bar
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done // 2)
        if progress:
            progress(done // 2, job.total_rows)

    checked = check_rows(job.team, _parsed(job), checking, keep=True)
    if checked.errors:
        job.state = ImportJob.State.FAILED
        job.error_rows = checked.errors
        job.problems = checked.problems
        job.message = "Rows have errors now: nothing was imported."
        job.finished_at = timezone.now()
        job.save()
        return job
    try:
        accounts, contacts = _write(job, checked.rows, progress)
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED,
            message=f"Nothing was imported: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    job.refresh_from_db()
    job.state = ImportJob.State.DONE
    job.accounts_created = accounts
    job.contacts_created = contacts
    job.duplicate_rows = checked.duplicates
    job.processed_rows = job.total_rows
    job.content = ""
    job.finished_at = timezone.now()
    job.message = _written_in(time.perf_counter() - started)
    job.save()
    return job


def _written_in(seconds: float) -> str:
    # "0.0 s" reads as if nothing happened
    if seconds < 1:
        return "Written in under a second."
    if seconds < 90:
        return f"Written in {round(seconds)} seconds."
    return f"Written in {round(seconds / 60)} minutes."


@transaction.atomic
def _write(
    job: ImportJob, good: list[Row], progress: Progress | None
) -> tuple[int, int]:
    """Write the rows ``check_rows`` kept: neither errors nor duplicates."""
    team = job.team
    now = timezone.now()
    existing = _account_keys(Account.objects.filter(team=team))
    new_accounts: dict[str, Account] = {}
    for row in good:
        key = row.account_name.lower()
        if key not in existing and key not in new_accounts:
            new_accounts[key] = Account(
                name=row.account_name,
                kind=row.account_kind,
                team=team,
                notes=row.account_notes,
                created_at=now,
                updated_at=now,
            )
    Account.objects.bulk_create(list(new_accounts.values()), batch_size=BATCH)
    if new_accounts:
        existing.update(
            _account_keys(Account.objects.filter(team=team, created_at=now))
        )
    half = job.total_rows // 2
    people = [row for row in good if row.has_contact]
    # model instances a batch at a time: a whole large file of them would take
    # several times the memory of its rows
    for start in range(0, len(people), BATCH):
        Contact.objects.bulk_create(
            Contact(
                account_id=existing[row.account_name.lower()],
                name=row.contact_name,
                email=row.email,
                phone=row.phone,
                notes=row.contact_notes,
                consents_to_contact=row.consents_to_contact,
                consent_recorded_at=now if row.consents_to_contact else None,
                created_at=now,
            )
            for row in people[start : start + BATCH]
        )
        if progress:
            done = half + round(half * (start + BATCH) / max(len(people), 1))
            progress(min(done, job.total_rows), job.total_rows)
    return len(new_accounts), len(people)


def export_chunks(*, actor: Actor, kind: str, fmt: str) -> Any:
    """The export file of ``kind`` in ``fmt``, in pieces; every member may export."""
    from purposeful.exchange import exporting

    check(actor, Action.EXPORT_RECORDS)
    try:
        return exporting.chunks(kind, fmt)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def export_count(*, actor: Actor, kind: str) -> int:
    """How many records of ``kind`` an export holds, for the API's pages."""
    from purposeful.exchange import exporting

    check(actor, Action.EXPORT_RECORDS)
    if kind not in exporting.KINDS:
        raise ValidationError(f"Choose one of: {', '.join(exporting.KINDS)}.")
    return exporting.count(kind)


def export_page(
    *, actor: Actor, kind: str, offset: int, limit: int
) -> list[dict[str, Any]]:
    """One page of the export of ``kind``, for the API."""
    from purposeful.exchange import exporting

    check(actor, Action.EXPORT_RECORDS)
    if kind not in exporting.KINDS:
        raise ValidationError(f"Choose one of: {', '.join(exporting.KINDS)}.")
    return list(exporting.records(kind, offset=offset, limit=limit))
