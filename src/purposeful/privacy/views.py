"""Pages for a contact's personal data: the export file and erasure. Thin."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from purposeful.permissions import Action, check
from purposeful.privacy import selectors, services
from purposeful.privacy.models import Erasure
from purposeful.relationships.models import Contact

AUDIT_ENTRY = "auditlog.LogEntry"


def _contact(pk: int) -> Contact:
    return get_object_or_404(Contact.objects.select_related("account__team"), pk=pk)


@require_GET
def personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    data = services.contact_personal_data(actor=request.user, contact=_contact(pk))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="contact-{pk}-personal-data.json"'
    )
    return response


@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(pk)
    check(request.user, Action.ERASE_CONTACT, contact)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = "Tick the box to confirm: erasing cannot be undone."
        else:
            try:
                services.contact_erase(
                    actor=request.user,
                    contact=contact,
                    reason=request.POST.get("reason", "")[:200],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, "The contact's personal data was erased.")
                return redirect(contact.account)
    return render(
        request,
        "privacy/erase.html",
        {"contact": contact, "error": error, **_preview(request, contact)},
        status=400 if error else 200,
    )


def _preview(request: HttpRequest, contact: Contact) -> dict:
    changes = selectors.erasure_preview(actor=request.user, contact=contact)
    audit = [c for c in changes if c.record_type == AUDIT_ENTRY]
    records = [c for c in changes if c.record_type != AUDIT_ENTRY]
    return {
        "records": records,
        "record_count": len({(c.record_type, c.record_id) for c in records}),
        "audit": audit,
        "audit_count": len({c.record_id for c in audit}),
    }


@require_GET
def erasure_list(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.VIEW_INTERNAL)
    erasures = Erasure.objects.select_related("team", "erased_by", "account")[:200]
    return render(
        request,
        "privacy/erasure_list.html",
        {"erasures": erasures},
    )
