"""Pages for import and export. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core.forms import form_submit
from purposeful.exchange import services
from purposeful.exchange.exporting import EXTENSIONS, FORMAT_LABELS, KINDS
from purposeful.exchange.forms import ImportForm
from purposeful.exchange.models import ImportJob
from purposeful.organisation.models import Team
from purposeful.permissions import Action, allowed, check

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "plain-csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _my_teams(member):
    return Team.objects.filter(memberships__member=member).order_by("name", "pk")


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.EXPORT_RECORDS)
    teams = _my_teams(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, teams=teams)
    if request.method == "POST" and (
        done := form_submit(
            form,
            lambda data: services.import_preview(
                actor=request.user,
                team=data["team"],
                data=data["file"],
                filename=data["file"].name or "upload.csv",
                encoding=data["encoding"],
                delimiter=data["delimiter"],
            ),
        )
    ):
        return redirect(done.value)
    jobs = ImportJob.objects.select_related("team", "created_by").order_by(
        "-created_at", "-pk"
    )[:10]
    return render(
        request,
        "exchange/index.html",
        {
            "form": form,
            "jobs": jobs,
            "kinds": KINDS,
            "formats": FORMAT_LABELS.items(),
            "has_teams": teams.exists(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def export(request: HttpRequest, kind: str, fmt: str) -> StreamingHttpResponse:
    try:
        chunks = services.export_chunks(actor=request.user, kind=kind, fmt=fmt)
    except ValidationError:
        raise Http404("There is no such export.") from None
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().isoformat()
    name = f"{kind}-{stamp}.{EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _job(request: HttpRequest, pk: int) -> ImportJob:
    check(request.user, Action.VIEW_INTERNAL)
    return get_object_or_404(ImportJob.objects.select_related("team"), pk=pk)


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(
        request,
        "exchange/import_detail.html",
        {"job": job, "can_import": allowed(request.user, Action.IMPORT_RECORDS, job)},
    )


@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx while the import runs."""
    return render(request, "exchange/import_progress.html", {"job": _job(request, pk)})


@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.import_request(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(job)


@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.import_discard(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The file was discarded; nothing was imported.")
    return redirect("exchange:index")
