"""How long a member's session has left, so an editor can warn before it ends."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone


def session_seconds_left(session: SessionBase) -> int:
    """Seconds until ``session`` expires on the server.

    Django stores the expiry with the database row and, unless one was set,
    ``get_expiry_age()`` only answers the configured age; the row knows how much
    of it is left.
    """
    stored_in_rows = settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    )
    if (
        stored_in_rows
        and session.get("_session_expiry") is None
        and session.session_key
    ):
        from django.contrib.sessions.models import Session

        expires = (
            Session.objects.filter(session_key=session.session_key)
            .values_list("expire_date", flat=True)
            .first()
        )
        if expires is not None:
            return max(0, int((expires - timezone.now()).total_seconds()))
    return max(0, session.get_expiry_age())
