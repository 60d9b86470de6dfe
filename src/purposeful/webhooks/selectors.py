from __future__ import annotations

from django.db.models import QuerySet

from purposeful.webhooks.models import Delivery, Endpoint


def endpoint_list() -> QuerySet[Endpoint]:
    return Endpoint.objects.order_by("url", "pk")


def disabled_endpoints() -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(is_active=False).order_by("-disabled_at", "pk")


def deliveries_of(endpoint: Endpoint, *, limit: int = 50) -> QuerySet[Delivery]:
    return endpoint.deliveries.order_by("-created_at", "-pk")[:limit]


def switched_off_by_failure() -> QuerySet[Endpoint]:
    """Endpoints the deliveries switched off, for the stewards' start page."""
    return Endpoint.objects.filter(
        is_active=False, consecutive_failures__gt=0
    ).order_by("-disabled_at", "pk")
