"""JSON API for imports (preview, confirm) and exports."""

from typing import BinaryIO, Literal, cast

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from purposeful.core.paging import Counted, ExportPage
from purposeful.exchange import services
from purposeful.exchange.models import ImportJob
from purposeful.exchange.schemas import ExportRecord, ImportOut
from purposeful.organisation.models import Team
from purposeful.permissions import Action, check

router = Router(tags=["import and export"])

Kind = Literal["accounts", "contacts", "signals", "conversations"]


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
        data=cast(BinaryIO, file),  # an upload reads bytes like a BinaryIO
        filename=file.name or "upload.csv",
        encoding=encoding[:40],
        delimiter=delimiter[:4],
    )
    return Status(201, job)


@router.get(
    "/imports/{import_id}", response=ImportOut, summary="An import and its progress"
)
def import_read(request, import_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    return get_object_or_404(ImportJob, pk=import_id)


@router.post(
    "/imports/{import_id}/confirm",
    response={202: ImportOut},
    summary="Write a checked import in the background (all rows or none)",
)
def import_confirm(request, import_id: int):
    check(request.auth, Action.VIEW_INTERNAL)
    job = get_object_or_404(ImportJob, pk=import_id)
    return Status(202, services.import_request(actor=request.auth, job=job))
