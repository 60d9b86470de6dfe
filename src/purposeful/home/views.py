"""The organisation's public face, a member's start page, and friendly error pages."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from purposeful.api import operations_by_tag
from purposeful.core.middleware import unavailable_response
from purposeful.feedback.selectors import new_counts_for as new_signal_counts
from purposeful.offers.selectors import advice_asked_of
from purposeful.offers.selectors import catalogue as offer_catalogue
from purposeful.operations.services import health
from purposeful.organisation.models import Ally, Team
from purposeful.organisation.selectors import join_requests_waiting_for, teams_of
from purposeful.organisation.services import organisation_get
from purposeful.outreach.selectors import messages_asking_advice
from purposeful.people.auth import member_of
from purposeful.permissions import Action, allowed
from purposeful.relationships.selectors import handovers_waiting_for
from purposeful.targets.selectors import dashboard_settings, open_targets_of
from purposeful.webhooks.selectors import switched_off_by_failure

# Browsers, feed readers and bookmarks ask for /favicon.ico whatever the page links
# to; it is the favicon.svg drawn as an ICO, and browsers may keep it for a day.
_FAVICON = (
    Path(__file__).resolve().parent.parent
    / "core"
    / "static"
    / "purposeful"
    / "favicon.ico"
)


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_FAVICON.read_bytes(), content_type="image/x-icon")


@login_not_required
@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    return render(request, "home/api_reference.html", {"groups": operations_by_tag()})


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisation = organisation_get()
    return render(
        request,
        "home/home.html",
        {
            "purpose": organisation.purpose,
            "allies": Ally.objects.all()[:12],
            "team_count": Team.objects.count(),
            "can_view_dashboard": allowed(
                request.user, Action.VIEW_DASHBOARD, dashboard_settings()
            ),
            "offers": offer_catalogue()[:6],
        },
    )


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    teams = teams_of(member_of(request)).prefetch_related(
        "memberships__member", "roles__holders"
    )
    return render(
        request,
        "home/start.html",
        {
            "teams": teams,
            "my_roles": member_of(request).roles.select_related("team"),
            "purpose": organisation_get().purpose,
            "inbox_counts": new_signal_counts(member_of(request)),
            "advice_asked": advice_asked_of(member_of(request))[:5],
            "messages_asking_advice": messages_asking_advice(member_of(request))[:5],
            "my_targets": open_targets_of(member_of(request))[:8],
            # what only this member's teams can answer, so it waits on their page
            "handovers_waiting": list(handovers_waiting_for(member_of(request))[:5]),
            "join_requests_waiting": list(
                join_requests_waiting_for(member_of(request))[:5]
            ),
            "webhooks_off": (
                list(switched_off_by_failure()[:5])
                if allowed(request.user, Action.MANAGE_WEBHOOKS)
                else []
            ),
            "work_problems": (
                health().problems
                if allowed(request.user, Action.VIEW_OPERATIONS)
                else []
            ),
        },
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Something in the request was not right.")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return _error(request, 403, message or "You may not do this.")


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "There is nothing at this address.")


def error_500(request: HttpRequest) -> HttpResponse:
    # A database that went away while a middleware used it: 503 with a retry.
    unavailable = unavailable_response(request, sys.exc_info()[1])
    if unavailable is not None:
        return unavailable
    return _error(
        request,
        500,
        "Something went wrong on our side. Nothing you sent is lost; "
        "please try again in a moment.",
        plain=True,
    )


def _error(
    request: HttpRequest, status: int, message: str, plain: bool = False
) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from purposeful.core.apierrors import error_body

        return JsonResponse(error_body(message), status=status)
    template = "core/error_plain.html" if plain else "core/error.html"
    return render(
        request, template, {"status": status, "message": message}, status=status
    )
