"""Output types the apps' API schemas share."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator


def _username(member: Any) -> Any:
    if member is None or isinstance(member, str):
        return member
    return member.username


Username = Annotated[str | None, BeforeValidator(_username)]
"""A member in an API answer: their username, or null when there is none (never
set, or the account was erased). A schema field of this type reads the model's
relation to the member directly, with no resolver of its own."""
