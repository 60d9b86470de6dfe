"""Guards shared by the pages of several apps."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from purposeful.permissions import team_ids

View = Callable[..., HttpResponse]


def team_required(reason: str) -> Callable[[View], View]:
    """For pages that make something a team owns (a customer, a message, a target,
    an offer): a member in no team gets one page, the same everywhere, saying
    ``reason`` and where to join or start a team, instead of a form whose team
    list is empty.

    Stewards included: being a steward gives no team. The answer is 403, for a
    GET and a POST alike, and the member's teams are the ones the permission
    rules read, so asking costs no query of its own.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if team_ids(request.user):
                return view(request, *args, **kwargs)
            return render(
                request, "core/team_needed.html", {"reason": reason}, status=403
            )

        return guarded

    return decorator
