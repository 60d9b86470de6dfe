"""Background work for offers: telling colleagues about advice, outside the request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django_tasks import task


@task()
def email_colleagues(subject: str, body: str, recipients: list[str]) -> int:
    """Send one e-mail per colleague (so no one sees the others' addresses)."""
    from purposeful.oneline import one_line

    # The subject carries the colleague's and the offer's names: one line, or
    # Django refuses to send it at all.
    subject = one_line(subject)
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for address in recipients
    ]
    return send_mass_mail(messages)
