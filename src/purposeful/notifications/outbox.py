"""The outbox: where e-mail goes when the installation has no mail server.

The demo, and any installation without ``EMAIL_HOST``, keeps every e-mail it
would have sent in one mbox file in the data directory (any mail client opens
it) and shows it on the outbox page, with its links clickable. Printing each
e-mail in full on the terminal buried the server's real messages.
"""

from __future__ import annotations

import email.policy
import hashlib
import mailbox
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.header import decode_header, make_header
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from purposeful.people.types import Actor

BACKEND = "purposeful.notifications.outbox.OutboxBackend"
# The oldest e-mails are dropped beyond this many, so the file stays small.
KEEP = 1000


def outbox_file() -> Path:
    return Path(settings.OUTBOX_FILE)


def is_enabled() -> bool:
    """Whether e-mail goes to the outbox rather than a mail server."""
    return settings.EMAIL_BACKEND == BACKEND


class OutboxBackend(BaseEmailBackend):
    """Django's e-mail backend that appends each message to the outbox file."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        path = outbox_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        # e-mails hold private links (password resets): for this user alone
        path.touch(mode=0o600, exist_ok=True)
        box = mailbox.mbox(path)
        box.lock()
        try:
            for message in email_messages:
                box.add(mailbox.mboxMessage(message.message().as_bytes()))
            for key in box.keys()[: max(0, len(box) - KEEP)]:
                box.remove(key)
            box.flush()
        finally:
            box.unlock()
            box.close()
        return len(email_messages)


@dataclass(frozen=True)
class OutboxEmail:
    """One e-mail as the outbox shows it."""

    key: str  # stable across restarts and trimming: from the Message-ID
    subject: str
    sender: str
    recipients: tuple[str, ...]  # bare addresses, lower case
    to: str
    sent_at: datetime | None
    text: str
    html: str
    headers: tuple[tuple[str, str], ...]


def _key(message: Any) -> str:
    identity = str(message.get("Message-ID") or message.get("Date") or "")
    return hashlib.sha256(identity.encode()).hexdigest()[:20]


def _header(message: Any, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    # compat32 leaves encoded words (=?utf-8?q?...?=) and folding as sent
    return " ".join(str(make_header(decode_header(str(value)))).split())


def _parse(raw: bytes, *, full: bool) -> OutboxEmail:
    """One e-mail; only its headers, read the quick compat32 way, unless ``full``
    (a list of a thousand e-mails took over a second with every body decoded)."""
    message = BytesParser(policy=compat32).parsebytes(raw, headersonly=not full)
    text = html = ""
    if full:
        parsed: ParsedMessage = BytesParser(policy=email.policy.default).parsebytes(  # type: ignore[assignment]
            raw
        )
        text_part = parsed.get_body(preferencelist=("plain",))
        html_part = parsed.get_body(preferencelist=("html",))
        text = text_part.get_content() if text_part is not None else ""
        html = html_part.get_content() if html_part is not None else ""
    addresses = getaddresses([_header(message, h) for h in ("To", "Cc", "Bcc")])
    try:
        sent_at = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError):
        sent_at = None
    return OutboxEmail(
        key=_key(message),
        subject=_header(message, "Subject"),
        sender=_header(message, "From"),
        recipients=tuple(address.lower() for _, address in addresses if address),
        to=_header(message, "To"),
        sent_at=sent_at,
        text=text,
        html=html,
        headers=tuple(
            (name, _header(message, name))
            for name in message.keys()  # noqa: SIM118
            if name.lower().startswith("list-")
        ),
    )


def _raw_newest_first() -> list[bytes]:
    path = outbox_file()
    if not path.exists():
        return []
    box = mailbox.mbox(path, create=False)
    try:
        # iterating a Mailbox yields messages, not their keys
        raw = [box.get_bytes(key) for key in box.keys()]  # noqa: SIM118
    finally:
        box.close()
    return raw[::-1]


def outbox_read() -> list[OutboxEmail]:
    """Every e-mail in the outbox, newest first, without their texts."""
    return [_parse(item, full=False) for item in _raw_newest_first()]


def outbox_for(actor: Actor) -> list[OutboxEmail]:
    """The e-mails in the outbox that ``actor`` may read, newest first."""
    from purposeful.permissions import Action, allowed

    return [
        item for item in outbox_read() if allowed(actor, Action.READ_OUTBOX_EMAIL, item)
    ]


def outbox_email(*, actor: Actor, key: str) -> OutboxEmail | None:
    """One e-mail of the outbox, or None when there is none with ``key``.

    Raises PermissionDenied when it was sent to someone else.
    """
    from purposeful.permissions import Action, check

    for raw in _raw_newest_first():
        if _parse(raw, full=False).key == key:
            found = _parse(raw, full=True)
            check(actor, Action.READ_OUTBOX_EMAIL, found)
            return found
    return None
