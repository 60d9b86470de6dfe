"""The member behind a request, typed as one."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from purposeful.people.models import Member
from purposeful.people.services import token_authenticate

_VIEWER = "_purposeful_viewer"


def member_of(request: HttpRequest) -> Member:
    """``request.user`` on a page behind ``LoginRequiredMiddleware``: a Member.

    Only the type is narrowed; the user is neither looked up nor checked again.
    """
    return cast(Member, request.user)


def viewer_of(request: HttpRequest) -> Member | AnonymousUser:
    """Who calls an API endpoint, public ones too: the member the API's
    authentication found, else the bearer token's, else the session's user.

    Found once a request (an answer listing many offers asks for each of them).
    """
    found = getattr(request, _VIEWER, None)
    if found is not None:
        return cast("Member | AnonymousUser", found)
    viewer = getattr(request, "auth", None)
    if viewer is None:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            viewer = token_authenticate(header[7:].strip())
    if viewer is None:
        viewer = request.user
    setattr(request, _VIEWER, viewer)
    return cast("Member | AnonymousUser", viewer)
