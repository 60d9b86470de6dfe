"""JSON API for a contact's personal data: the export and erasure."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from purposeful.privacy import selectors, services
from purposeful.privacy.schemas import (
    ErasureIn,
    ErasureOut,
    ErasurePreviewOut,
    PersonalDataOut,
)
from purposeful.relationships.models import Contact

router = Router(tags=["personal data"])


def _contact(contact_id: int) -> Contact:
    return get_object_or_404(
        Contact.objects.select_related("account__team"), pk=contact_id
    )


@router.get(
    "/contacts/{contact_id}/personal-data",
    response=PersonalDataOut,
    summary="Everything held about one contact",
)
def personal_data(request, contact_id: int):
    return services.contact_personal_data(
        actor=request.auth, contact=_contact(contact_id)
    )


@router.get(
    "/contacts/{contact_id}/erase",
    response=ErasurePreviewOut,
    summary="What erasing a contact would change, field by field; changes nothing",
)
def erase_preview(request, contact_id: int):
    contact = _contact(contact_id)
    changes = selectors.erasure_preview(actor=request.auth, contact=contact)
    return {"contact_id": contact.pk, "changes": changes}


@router.post(
    "/contacts/{contact_id}/erase",
    response={201: ErasureOut},
    summary="Erase a contact's details from them and from their records",
)
def erase(request, contact_id: int, payload: ErasureIn):
    erasure = services.contact_erase(
        actor=request.auth, contact=_contact(contact_id), reason=payload.reason
    )
    return Status(201, erasure)
