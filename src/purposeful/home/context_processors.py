from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def organisation(request: HttpRequest) -> dict:
    from purposeful.organisation.services import organisation_get

    return {"organisation": SimpleLazyObject(organisation_get)}
