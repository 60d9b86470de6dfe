"""JSON API for webhook endpoints (stewards)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from purposeful.core.paging import Page
from purposeful.permissions import Action, check
from purposeful.webhooks import selectors, services
from purposeful.webhooks.models import Endpoint
from purposeful.webhooks.schemas import (
    DeliveryOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    PingOut,
)

router = Router(tags=["webhooks"])


def _endpoint(request, endpoint_id: int) -> Endpoint:
    check(request.auth, Action.MANAGE_WEBHOOKS)
    return get_object_or_404(Endpoint, pk=endpoint_id)


@router.get("/webhooks", response=list[EndpointOut], summary="Endpoints (stewards)")
@paginate(Page)
def endpoint_list(request):
    check(request.auth, Action.MANAGE_WEBHOOKS)
    return selectors.endpoint_list()


@router.post(
    "/webhooks", response={201: EndpointOut}, summary="Register an endpoint (stewards)"
)
def endpoint_create(request, payload: EndpointIn):
    endpoint = services.endpoint_create(actor=request.auth, **payload.dict())
    return Status(201, endpoint)


@router.get("/webhooks/{endpoint_id}", response=EndpointOut, summary="An endpoint")
def endpoint_read(request, endpoint_id: int):
    return _endpoint(request, endpoint_id)


@router.patch(
    "/webhooks/{endpoint_id}",
    response=EndpointOut,
    summary="Change, switch off or back on",
)
def endpoint_change(request, endpoint_id: int, payload: EndpointPatch):
    endpoint = _endpoint(request, endpoint_id)
    return services.endpoint_update(
        actor=request.auth, endpoint=endpoint, **payload.dict(exclude_unset=True)
    )


@router.delete("/webhooks/{endpoint_id}", response={204: None}, summary="Remove")
def endpoint_remove(request, endpoint_id: int):
    endpoint = _endpoint(request, endpoint_id)
    services.endpoint_delete(actor=request.auth, endpoint=endpoint)
    return Status(204, None)


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response=list[DeliveryOut],
    summary="The last 50 delivery attempts",
)
@paginate(Page)
def delivery_list(request, endpoint_id: int):
    return selectors.deliveries_of(_endpoint(request, endpoint_id))


@router.post(
    "/webhooks/{endpoint_id}/ping",
    response={202: PingOut},
    summary="Send a test event",
)
def endpoint_ping(request, endpoint_id: int):
    endpoint = _endpoint(request, endpoint_id)
    return Status(
        202, {"event_id": services.endpoint_ping(actor=request.auth, endpoint=endpoint)}
    )
