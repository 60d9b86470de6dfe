"""Background work for offers: telling colleagues about advice, outside the request."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django_tasks import task


@task()
def email_colleagues(
    subject: str, body: str, recipients: list[str], topic: str = "advice"
) -> int:
    """Send one e-mail per colleague (so no one sees the others' addresses).

    A colleague who is a member gets the one-click unsubscribe from ``topic``
    that every notification carries.
    """
    from purposeful.core.oneline import one_line
    from purposeful.notifications.services import member_email
    from purposeful.people.models import Member

    # The subject carries the colleague's and the offer's names: one line, or
    # Django refuses to send it at all.
    subject = one_line(subject)
    members = {
        member.email: member
        for member in Member.objects.filter(email__in=recipients, is_active=True)
    }
    messages = [
        member_email(member=members[address], subject=subject, body=body, topic=topic)
        if address in members
        else EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        for address in recipients
    ]
    return get_connection().send_messages(messages) or 0
