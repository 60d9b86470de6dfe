"""JSON API for imports (preview, confirm) and exports."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from purposeful.exchange import services
from purposeful.exchange.models import ImportJob
from purposeful.exchange.schemas import ExportRecord, ImportOut
from purposeful.organisation.models import Team
from purposeful.paging import Counted, ExportPage
from purposeful.permissions import Action, check

router = Router(tags=["import and export"])

Kind = Literal["accounts", "contacts", "signals", "conversations"]


def _import_out(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "team": job.team_id,
        "filename": job.filename,
        "encoding": job.encoding,
        "delimiter": job.delimiter,
        "mapping": job.mapping,
        "state": job.state,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "error_rows": job.error_rows,
        "duplicate_rows": job.duplicate_rows,
        "planned_accounts": job.planned_accounts,
        "planned_contacts": job.planned_contacts,
        "accounts_created": job.accounts_created,
        "contacts_created": job.contacts_created,
        "message": job.message,
        "problems": job.problems,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.get(
    "/exports/{kind}",
    response=list[ExportRecord],
    summary="Records of a kind, oldest first, a page at a time",
)
@paginate(ExportPage)
def export(request, kind: Kind):
    return Counted(
        lambda: services.export_count(actor=request.auth, kind=kind),
        lambda offset, limit: services.export_page(
            actor=request.auth, kind=kind, offset=offset, limit=limit
        ),
    )


@router.post(
    "/imports",
    response={201: ImportOut},
    summary="Check a CSV file of customers (dry run: nothing is written)",
)
def import_preview(
    request,
    file: File[UploadedFile],
    team: Form[int],
    encoding: Form[str] = "",
    delimiter: Form[str] = "",
):
    job = services.import_preview(
        actor=request.auth,
        team=get_object_or_404(Team, pk=team),
        data=file,
        filename=file.name or "upload.csv",
        encoding=encoding[:40],
        delimiter=delimiter[:4],
    )
    return Status(201, _import_out(job))


@router.get(
    "/imports/{import_id}", response=ImportOut, summary="An import and its progress"
)
def import_read(request, import_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return _import_out(get_object_or_404(ImportJob, pk=import_id))


@router.post(
    "/imports/{import_id}/confirm",
    response={202: ImportOut},
    summary="Write a checked import in the background (all rows or none)",
)
def import_confirm(request, import_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    job = get_object_or_404(ImportJob, pk=import_id)
    return Status(
        202, _import_out(services.import_request(actor=request.auth, job=job))
    )
