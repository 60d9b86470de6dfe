"""The installation's own address, for links that leave the browser (e-mails).

A link in an e-mail is read in a mail client, where a path such as
``/inbox/signals/161/`` leads nowhere, so every e-mail carries full addresses.
The address is ``PURPOSEFUL_BASE_URL`` when it is set; ``serve`` and ``demo``
otherwise set it to the address they listen on (see :func:`listen_url`), so the
task worker they start knows it too. Never the request's ``Host`` header: a
visitor chooses that one, and a reset link must not point at their server.
"""

from __future__ import annotations

from django.conf import settings

# Where ``purposeful serve`` listens by default: the best guess for commands run
# on their own (``purposeful notifications digest`` from cron).
DEFAULT_BASE_URL = "http://localhost:8000"

# Addresses that mean "every interface": not somewhere a browser can go.
_WILDCARDS = {"0.0.0.0", "::", ""}


def listen_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches a server bound to ``host``."""
    if host in _WILDCARDS:
        host = "localhost"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def base_url() -> str:
    """The installation's address without a trailing slash."""
    return (getattr(settings, "BASE_URL", "") or DEFAULT_BASE_URL).rstrip("/")


def absolute(path: str) -> str:
    """``path`` (``/inbox/...``) as a full address; full addresses pass unchanged."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    return base_url() + path
