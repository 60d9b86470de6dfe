"""The status page: what stewards need to know about background work. Thin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from purposeful.operations import services
from purposeful.permissions import Action, check


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_OPERATIONS)
    current = services.health()
    if request.GET.get("format") == "json":
        return JsonResponse(current.as_dict())
    return render(
        request,
        "operations/status.html",
        {"health": current, "lease_seconds": int(services.lease().total_seconds())},
    )
