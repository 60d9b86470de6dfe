from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from purposeful.audit.forms import AuditFilterForm
from purposeful.audit.selectors import (
    audit_entries,
    audit_entry_dict,
    audit_record_types,
)
from purposeful.permissions import Action, check
from purposeful.relationships.paging import without_page


@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    # a wrong date shows its error and filters nothing, instead of failing the page
    form = AuditFilterForm(request.GET)
    filters: dict[str, Any] = {
        "viewer": request.user,
        "actor": request.GET.get("actor") or None,
        "record_type": request.GET.get("type") or None,
        "action": request.GET.get("action") or None,
        "since": form.cleaned_data["since"] if form.is_valid() else None,
    }
    page = Paginator(audit_entries(**filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_list.html",
        {
            "page": page,
            "entries": [audit_entry_dict(entry) for entry in page],
            "record_types": audit_record_types(request.user),
            "filters": request.GET,
            "form": form,
            "query": without_page(request),
        },
    )
