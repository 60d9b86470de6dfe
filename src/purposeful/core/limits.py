"""Length limits are written once, on the model field; forms, API schemas and
services read them from there, so a limit changed in a migration changes them all.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Field, Model


def max_length(model: type[Model], name: str) -> int:
    """The ``max_length`` of ``model``'s field ``name`` (a field without one is a bug here)."""
    # named by a column, so a concrete field, never a relation
    length = cast("Field[Any, Any]", model._meta.get_field(name)).max_length
    if length is None:
        raise LookupError(f"{model.__name__}.{name} has no max_length")
    return length
