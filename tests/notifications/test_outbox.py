"""Without a mail server, e-mails are kept in the outbox: a file and a page.

The demo printed every e-mail in full on the terminal, where no one could click
a link. Now they are kept in an mbox file in the data directory and shown to
the members they were sent to (stewards see all), with their links clickable.
"""

from __future__ import annotations

import mailbox

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client

from purposeful.notifications import outbox

BACKEND = "purposeful.notifications.outbox.OutboxBackend"


@pytest.fixture
def kept(settings, tmp_path):
    """E-mail goes to an outbox file of this test's own."""
    settings.EMAIL_BACKEND = BACKEND
    settings.OUTBOX_FILE = tmp_path / "outbox.mbox"
    return settings.OUTBOX_FILE


def _send(to: str, subject: str, body: str = "Read it here: https://x.example/a/"):
    EmailMessage(subject=subject, body=body, to=[to]).send()


def _client(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_without_a_mail_server_emails_go_to_the_outbox_file(kept):
    _send("owner@example.org", "A new signal")
    _send("other@example.org", "Your daily digest")
    box = mailbox.mbox(kept)
    subjects = sorted(m["Subject"] for m in box)
    box.close()
    assert subjects == ["A new signal", "Your daily digest"]
    assert kept.stat().st_mode & 0o077 == 0


def test_the_default_backend_without_email_host_is_the_outbox():
    from django.conf import settings

    # pytest-django swaps in locmem; the setting itself is read from the module
    from purposeful import settings as installation

    assert installation.EMAIL_BACKEND == BACKEND
    assert settings.OUTBOX_FILE == installation.DATA_DIR / "outbox.mbox"


def test_a_member_sees_the_emails_sent_to_them_with_clickable_links(cast, kept):
    subject = "Advice asked on the offer “Wheel rebuild” — a long subject " * 2
    _send(cast.owner.email, subject, "See http://localhost:8000/inbox/")
    _send(cast.outsider.email, "Not for the owner")
    page = _client(cast.owner).get("/outbox/")
    assert page.status_code == 200
    assert subject.strip() in page.content.decode()
    assert b"Not for the owner" not in page.content
    (email,) = outbox.outbox_for(cast.owner)
    one = _client(cast.owner).get(f"/outbox/{email.key}/")
    assert one.status_code == 200
    assert b'<a href="http://localhost:8000/inbox/"' in one.content


def test_an_email_sent_to_someone_else_is_refused(cast, kept):
    _send(cast.outsider.email, "Not for the owner")
    (email,) = outbox.outbox_read()
    assert _client(cast.owner).get(f"/outbox/{email.key}/").status_code == 403
    assert _client(cast.outsider).get(f"/outbox/{email.key}/").status_code == 200


def test_a_steward_sees_every_email_and_where_the_file_is(cast, kept):
    _send("robin@example.net", "We received your message")
    _send(cast.owner.email, "A new signal")
    page = _client(cast.steward).get("/outbox/").content.decode()
    assert "We received your message" in page and "A new signal" in page
    assert str(kept) in page


def test_an_unknown_email_is_not_found(cast, kept):
    assert _client(cast.steward).get("/outbox/0123456789abcdef0123/").status_code == 404


def test_with_a_mail_server_there_is_no_outbox(cast, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert _client(cast.steward).get("/outbox/").status_code == 404


def test_the_outbox_keeps_the_newest_emails_only(kept, monkeypatch):
    monkeypatch.setattr(outbox, "KEEP", 3)
    for number in range(5):
        _send("owner@example.org", f"E-mail {number}")
    assert [e.subject for e in outbox.outbox_read()] == [
        "E-mail 4",
        "E-mail 3",
        "E-mail 2",
    ]
    assert not mail.outbox
