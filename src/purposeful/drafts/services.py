"""Keeping, claiming and clearing a member's unsent words. Every write is here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from purposeful.drafts.models import KEY_MAX_LENGTH, Draft
from purposeful.people.types import Actor
from purposeful.permissions import Action, check, visible

# A draft is words, not uploads: a few dozen fields of a message's size at most.
MAX_FIELDS = 40
MAX_VALUES_PER_FIELD = 200
MAX_DRAFT_CHARS = 200_000
# Words kept in a signed-out browser wait this long for their member to sign in
# again; after that they are dropped, so that someone else who signs in on a
# shared computer the next week is not handed them.
PENDING_FOR = timedelta(hours=12)
PENDING_SESSION_KEY = "drafts.pending"
MAX_PENDING = 5

# Never kept, never shown again: secrets typed into a form, and the token.
_SECRET_PARTS = ("csrf", "password", "passwd", "token", "secret")


def is_secret_field(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in _SECRET_PARTS)


def kept_fields(data: Any) -> dict[str, list[str]]:
    """The text fields of a posted form (a QueryDict or a mapping of lists)
    worth keeping: no secret, no empty field.

    Raises ValidationError when it is larger than a draft may be.
    """
    items = data.lists() if hasattr(data, "lists") else data.items()
    fields: dict[str, list[str]] = {}
    for name, values in items:
        if not isinstance(name, str) or not name or is_secret_field(name):
            continue
        if isinstance(values, str):
            values = [values]
        texts = [v for v in values if isinstance(v, str)]
        if texts:
            fields[name] = texts
    if len(fields) > MAX_FIELDS or any(
        len(v) > MAX_VALUES_PER_FIELD for v in fields.values()
    ):
        raise ValidationError("A draft keeps at most 40 fields.")
    if sum(len(name) + sum(map(len, v)) for name, v in fields.items()) > (
        MAX_DRAFT_CHARS
    ):
        raise ValidationError("A draft keeps at most 200,000 characters.")
    return fields


def has_words(fields: Mapping[str, list[str]]) -> bool:
    """Whether a form holds words: a button's hidden numbers (a version, a
    chosen team) are nothing to keep."""
    return any(
        value.strip() and not value.strip().isdigit()
        for values in fields.values()
        for value in values
    )


def _check_key(key: str) -> None:
    if not key.startswith("/") or key.startswith("//") or len(key) > KEY_MAX_LENGTH:
        raise ValidationError("A draft belongs to a form of this site.")


def draft_save(
    *, actor: Actor, key: str, fields: Mapping[str, list[str]]
) -> Draft | None:
    """Keep ``actor``'s words for the form that sends to ``key``.

    Words with nothing in them replace nothing: an emptied form keeps no draft.
    """
    check(actor, Action.KEEP_DRAFT, actor)
    _check_key(key)
    fields = kept_fields(fields)
    if not has_words(fields):
        draft_discard(actor=actor, key=key)
        return None
    draft, _ = Draft.objects.update_or_create(
        member=actor,
        key=key,
        defaults={"fields": fields, "updated_at": timezone.now()},
    )
    return draft


def draft_discard(*, actor: Actor, key: str) -> None:
    """Forget ``actor``'s draft for ``key`` (discarded, or sent successfully)."""
    # visible() holds the rule: a member reaches only their own drafts.
    visible(actor, Draft).filter(key=key).delete()


def words_keep_pending(
    *, session: SessionBase, key: str, fields: Mapping[str, list[str]] | QueryDict
) -> bool:
    """Keep words posted by a browser whose member is signed out, in its session,
    until someone signs in there (see :func:`drafts_claim_pending`).

    Returns whether anything was kept.
    """
    try:
        _check_key(key)
        fields = kept_fields(fields)
    except ValidationError:
        return False
    if not has_words(fields):
        return False
    pending = dict(session.get(PENDING_SESSION_KEY) or {})
    pending.pop(key, None)
    pending[key] = {"fields": fields, "at": timezone.now().isoformat()}
    # the newest few: a browser that posts a lot while signed out is not a store
    session[PENDING_SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
    return True


def drafts_claim_pending(*, actor: Actor, session: SessionBase) -> int:
    """Make the words kept in this browser while signed out ``actor``'s drafts.

    Returns how many drafts were made.
    """
    pending = session.pop(PENDING_SESSION_KEY, None) or {}
    oldest = timezone.now() - PENDING_FOR
    made = 0
    for key, kept in pending.items():
        at = parse_datetime(str(kept.get("at", "")))
        if at is None or at < oldest:
            continue
        try:
            if draft_save(actor=actor, key=key, fields=kept.get("fields") or {}):
                made += 1
        except ValidationError:
            continue
    return made
