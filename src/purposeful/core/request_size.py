"""A cap on request bodies, applied before anything reads the body.

Django reads a body only when a view (or the CSRF check) asks for it, and then
spools file parts to a temporary file; a 300 MB POST to the public form would be
written to disk before the form said no. This middleware answers 413 from the
``Content-Length`` alone. A visitor who is not signed in sends forms of a few
kilobytes and gets ``MAX_PUBLIC_REQUEST_BYTES``; a signed-in member, or an API
client presenting a token, gets ``MAX_REQUEST_BYTES``, enough for the largest
upload (a site review); each upload then keeps its own, smaller limit.

Django's request reads no more than ``Content-Length`` says, and none of a body
sent without one, so the header is all there is to check.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from purposeful.core.apierrors import error_body


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # Django reads no body then either


def _may_send_more(request: HttpRequest) -> bool:
    # The API authenticates a token before it reads the body, so a token is
    # enough here; pages need a signed-in member.
    if request.path.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def body_limit(request: HttpRequest) -> int:
    """The largest body, in bytes, ``request``'s sender may send."""
    if _may_send_more(request):
        return settings.MAX_REQUEST_BYTES
    return settings.MAX_PUBLIC_REQUEST_BYTES


def too_large_response(request: HttpRequest, size: int, limit: int) -> HttpResponse:
    message = (
        f"What you sent is {_megabytes(size)}; we accept at most {_megabytes(limit)} "
        "at once. Nothing was saved."
    )
    if limit < settings.MAX_REQUEST_BYTES:
        message += " Sign in to upload files."
    else:
        message += " Please upload it in parts."
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(message), status=413)
    # No context processors: nothing about this request needs the database.
    html = render_to_string(
        "core/error_plain.html", {"message": message, "status": 413}
    )
    return HttpResponse(html, status=413)


class RequestBodyLimitMiddleware:
    """Refuses a body larger than its sender may send, before any of it is read.

    Placed after the authentication middleware (to know who is signed in) and
    before any middleware or view that reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = _content_length(request)
        # Only a body over the public limit costs a look at the session.
        if size > settings.MAX_PUBLIC_REQUEST_BYTES:
            limit = body_limit(request)
            if size > limit:
                return too_large_response(request, size, limit)
        return self.get_response(request)
