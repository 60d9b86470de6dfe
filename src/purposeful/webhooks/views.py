"""Pages where stewards register endpoints and read the delivery log. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purposeful.core.forms import form_submit
from purposeful.permissions import Action, check
from purposeful.webhooks import selectors, services
from purposeful.webhooks.forms import EndpointForm
from purposeful.webhooks.models import Endpoint


@require_GET
def endpoint_list(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.MANAGE_WEBHOOKS)
    return render(
        request,
        "webhooks/endpoint_list.html",
        {
            "endpoints": selectors.endpoint_list(),
            "disabled": selectors.disabled_endpoints(),
        },
    )


@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.MANAGE_WEBHOOKS)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and (
        done := form_submit(
            form, lambda data: services.endpoint_create(actor=request.user, **data)
        )
    ):
        endpoint = done.value
        messages.success(request, "The endpoint is registered.")
        return redirect(endpoint)
    return render(request, "webhooks/endpoint_form.html", {"form": form})


@require_GET
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.MANAGE_WEBHOOKS)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {"endpoint": endpoint, "deliveries": selectors.deliveries_of(endpoint)},
    )


@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    check(request.user, Action.MANAGE_WEBHOOKS)
    endpoint = get_object_or_404(Endpoint, pk=pk)
    form = EndpointForm(
        request.POST or None,
        initial={
            "url": endpoint.url,
            "description": endpoint.description,
            "events": endpoint.events,
        },
    )
    form.fields["secret"].help_text = "Leave empty to keep the current secret."
    if request.method == "POST" and form_submit(
        form,
        lambda data: services.endpoint_update(
            actor=request.user,
            endpoint=endpoint,
            # an empty box keeps the current secret
            **{**data, "secret": data["secret"] or None},
        ),
    ):
        messages.success(request, "The endpoint is saved.")
        return redirect(endpoint)
    return render(
        request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint}
    )


@require_POST
def endpoint_enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    services.endpoint_enable(actor=request.user, endpoint=endpoint)
    messages.success(request, "The endpoint is switched on again.")
    return redirect(endpoint)


@require_POST
def endpoint_ping(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    services.endpoint_ping(actor=request.user, endpoint=endpoint)
    messages.success(request, "A test event is on its way; its delivery appears below.")
    return redirect(endpoint)


@require_POST
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(Endpoint, pk=pk)
    services.endpoint_delete(actor=request.user, endpoint=endpoint)
    messages.success(request, "The endpoint and its delivery log are removed.")
    return redirect("webhooks:list")
