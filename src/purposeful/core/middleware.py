"""Turns a database that is briefly unreachable into a 503 with a retry, not a crash."""

from __future__ import annotations

import logging
import shutil

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from purposeful.core.apierrors import error_body

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# free space under which a disk I/O error is read as a full disk
FULL_BELOW_BYTES = 1024 * 1024


def cannot_write_reason(exception: BaseException) -> str | None:
    """Why the database refuses every write (read-only, disk full), or None."""
    if not isinstance(exception, DatabaseError):
        return None
    text = str(exception).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "the database is read-only."
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return "the disk is full."
    if "disk i/o error" in text:
        # SQLite's name for a write the disk refused, also when it is full
        return "the disk is full." if _disk_is_full() else "the disk reported an error."
    return None


def _disk_is_full() -> bool:
    from django.conf import settings

    try:
        return shutil.disk_usage(settings.DATA_DIR).free < FULL_BELOW_BYTES
    except OSError:
        return False


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        return unavailable_response(request, exception)


def unavailable_response(
    request: HttpRequest, exception: BaseException | None
) -> HttpResponse | None:
    """A 503 with Retry-After when ``exception`` means the database is unusable.

    Also called by the 500 handler: an error raised in a middleware (loading
    the session or the user) never reaches ``process_exception``.
    """
    if exception is None:
        return None
    cannot_write = cannot_write_reason(exception)
    if cannot_write is None and not isinstance(
        exception, OperationalError | InterfaceError
    ):
        return None
    logger.warning("database unavailable: %s", exception)
    message = "We can't reach our database for a moment. Nothing you sent was saved; please try again in a few seconds."
    if cannot_write is not None:
        message = (
            f"We can't save anything right now: {cannot_write} Nothing you sent "
            "was saved. Please tell a steward of this installation."
        )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error_body(message), status=503)
    else:
        # No context processors: they would query the database again.
        html = render_to_string(
            "core/error_plain.html", {"message": message, "status": 503}
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
