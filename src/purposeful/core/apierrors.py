"""The one shape of every error the API answers.

``{"error": "…", "detail": [{"field": "…", "message": "…"}]}``: ``error`` is a
sentence for a person, ``detail`` lists each problem with the field it is
about (``null`` when it is about the request as a whole), empty when there is
nothing more to say. The API's exception handlers and the site's own answers
under /api/ (a page not found, a body too large, a database away) all build it
here, so a client reads one shape whatever went wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError

# Where ninja says a wrong value came from, before the field's own name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def error_body(
    error: str, detail: Iterable[dict[str, Any]] = (), **extra: Any
) -> dict[str, Any]:
    return {"error": error, "detail": list(detail), **extra}


def problem(field: str | None, message: str) -> dict[str, Any]:
    return {"field": field, "message": message}


def from_django(exc: DjangoValidationError) -> dict[str, Any]:
    """A service's ValidationError: field errors by field, the others with no field."""
    if hasattr(exc, "error_dict"):
        detail = [
            problem(None if field == "__all__" else field, message)
            for field, errors in exc.error_dict.items()
            for error in errors
            for message in error.messages
        ]
    else:
        detail = [problem(None, message) for message in exc.messages]
    return error_body(_summary(detail), detail)


def from_schema(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """ninja's errors of a request that does not fit the operation's schema."""
    detail = [problem(_field(error.get("loc", ())), error["msg"]) for error in errors]
    return error_body(_summary(detail), detail)


def _field(loc: Iterable[Any]) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        # a body's loc also names the view's parameter ("payload"): not the client's
        parts = (
            parts[2:] if parts[0] in {"body", "form"} and len(parts) > 2 else parts[1:]
        )
    return ".".join(parts) or None


def _summary(detail: list[dict[str, Any]]) -> str:
    if not detail:
        return "The request is not valid."
    first = detail[0]
    sentence = (
        f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    )
    more = len(detail) - 1
    return sentence if not more else f"{sentence} (and {more} more)"
