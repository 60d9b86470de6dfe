"""Spam resistance for the public form, with no third-party service.

Three independent guards: a honeypot field people never see, a time trap (a
signed timestamp in the form; a submission faster than a person can type is
refused) and a per-address rate limit kept in the cache.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing

from purposeful.core import ratelimit

_SALT = "purposeful.feedback.started"
MAX_AGE = 86400  # a form left open for a day starts again


class SpamRefused(Exception):
    """A submission one of the guards refused; the message is safe to show."""


def min_seconds() -> float:
    return float(getattr(settings, "FEEDBACK_MIN_SECONDS", 3))


def rate_limit() -> tuple[int, int]:
    """How many messages one address may send, and in how many seconds."""
    return tuple(getattr(settings, "FEEDBACK_RATE_LIMIT", (5, 3600)))


def started_token(now: float | None = None) -> str:
    """The signed moment the form was shown, for the time trap."""
    return signing.dumps(now if now is not None else time.time(), salt=_SALT)


def check_honeypot(value: str) -> None:
    if value.strip():
        raise SpamRefused("Your message could not be sent.")


def check_time_trap(token: str, *, now: float | None = None) -> None:
    now = now if now is not None else time.time()
    try:
        started = float(signing.loads(token, salt=_SALT, max_age=MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        raise SpamRefused(
            "This form has expired. Please send your message again."
        ) from None
    if now - started > MAX_AGE:
        raise SpamRefused("This form has expired. Please send your message again.")
    if now - started < min_seconds():
        raise SpamRefused(
            "That was very quick — please take a moment to check your message "
            "and send it again."
        )


def check_rate_limit(*, ip: str, email: str = "") -> None:
    """Count this submission against the sender's network and e-mail address.

    ``ip`` is :func:`purposeful.core.ratelimit.client_address` of the request.
    """
    limit, window = rate_limit()
    counted = [("feedback-rate:ip", ip or "unknown")]
    if email.strip():
        counted.append(("feedback-rate:email", email))
    for kind, value in counted:
        if ratelimit.count(kind, value, window=window) > limit:
            raise SpamRefused(
                "We have received several messages from you in a short time. "
                "Please wait a while before writing again."
            )
