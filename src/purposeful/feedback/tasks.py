"""Background work for feedback: e-mail to customers, outside the request."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from purposeful.core.oneline import one_line


@task()
def email_reply(reply_id: int) -> bool:
    """E-mail a team's reply to the customer who wrote; once only."""
    from purposeful.feedback.models import Reply
    from purposeful.organisation.services import organisation_get

    reply = (
        Reply.objects.select_related("signal", "signal__team")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or reply.emailed_at is not None:
        return False
    if not reply.signal.may_email_sender:
        return False
    organisation = organisation_get()
    context = {"reply": reply, "signal": reply.signal, "organisation": organisation}
    send_mail(
        subject=one_line(f"{organisation.name}: a reply to your message"),
        message=render_to_string("feedback/email_reply.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[reply.signal.sender_email],
    )
    Reply.objects.filter(pk=reply.pk).update(emailed_at=timezone.now())
    return True


@task()
def email_follow_link(signal_id: int, follow_url: str) -> bool:
    """Send the sender their private link, so they can come back to it.

    When the address is a known contact's, the e-mail also asks its owner to
    confirm that they wrote: only they receive that link.
    """
    from purposeful.feedback.models import Signal
    from purposeful.feedback.services import signal_confirmation_issue
    from purposeful.organisation.services import organisation_get

    signal = Signal.objects.select_related("team").filter(pk=signal_id).first()
    if signal is None or not signal.sender_email:
        return False
    organisation = organisation_get()
    key = signal_confirmation_issue(signal=signal)
    confirm_url = (
        urljoin(follow_url, reverse("feedback:confirm_sender", args=[key]))
        if key
        else ""
    )
    context = {
        "signal": signal,
        "organisation": organisation,
        "follow_url": follow_url,
        "confirm_url": confirm_url,
    }
    send_mail(
        subject=one_line(f"{organisation.name}: we received your message"),
        message=render_to_string("feedback/email_received.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[signal.sender_email],
    )
    return True
