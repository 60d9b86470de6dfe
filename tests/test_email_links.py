"""Every e-mail the app sends carries full links that open the page they name.

Links used to be paths (``/inbox/signals/161/``) that a mail client cannot
open, and a relative ``List-Unsubscribe`` made one-click unsubscribe impossible.
This triggers every kind of e-mail, reads each as a mail client would (every
text and HTML part, and the headers), and follows every link.
"""

from __future__ import annotations

import email
import email.policy
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client

from purposeful.feedback import services as feedback
from purposeful.feedback import spam
from purposeful.feedback.models import Signal
from purposeful.notifications import services as notifications
from purposeful.notifications.models import Frequency, NotificationPreference, Topic
from purposeful.offers import services as offers
from purposeful.organisation import services as organisation
from purposeful.organisation.models import MembershipChange
from purposeful.people.models import Member
from tests.offers.factories import offer

BASE = "https://purposeful.example.org"
LINK = re.compile(r"https?://[^\s<>\"']+")
# a path standing on its own in a text, as the old e-mails had them
BARE_PATH = re.compile(r"(?:^|[\s(])(/[\w-]+/[^\s]*)", re.MULTILINE)


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.BASE_URL = BASE
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.FEEDBACK_MIN_SECONDS = 0


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def _read(message) -> tuple[list[str], list[str], list[str]]:
    """Links, bare paths and unsubscribe links of one sent e-mail, as parsed."""
    parsed = email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )
    links: list[str] = []
    paths: list[str] = []
    for part in parsed.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_content()
            links += LINK.findall(text)
            paths += BARE_PATH.findall(LINK.sub(" ", text))
        elif part.get_content_type() == "text/html":
            hrefs = _Hrefs()
            hrefs.feed(part.get_content())
            links += hrefs.hrefs
    unsubscribe = re.findall(r"<([^>]+)>", str(parsed.get("List-Unsubscribe", "")))
    return links, paths, unsubscribe


def _every_kind_of_email(cast, capture) -> None:
    """Each e-mail the app sends, once, through the services and pages."""
    for topic in Topic.values:
        NotificationPreference.objects.create(
            member=cast.owner, topic=topic, frequency=Frequency.IMMEDIATELY
        )
    NotificationPreference.objects.create(
        member=cast.outsider, topic=Topic.ADVICE, frequency=Frequency.IMMEDIATELY
    )
    feedback.settings_update(actor=cast.steward, general_team=cast.team)
    with capture(execute=True):
        # notifications at once: a signal, a hand-over, a change to a team
        notifications.send_immediate(
            n.pk for n in notifications.notify_signal(cast.signal)
        )
        notifications.send_immediate(
            n.pk for n in notifications.notify_handover(cast.incoming_handover)
        )
        organisation.team_member_add(
            actor=cast.steward_in_team, team=cast.team, member=cast.steward
        )
        change = MembershipChange.objects.latest("pk")
        notifications.send_immediate(
            n.pk for n in notifications.notify_team_change(change)
        )
        # the daily digest (the steward never chose: everything waits for it)
        notifications.notify(
            members=[cast.steward],
            topic=Topic.SIGNALS,
            source="digest-test",
            subject="A new signal to Workshop",
            body="",
            link=cast.signal.get_absolute_url(),
        )
        notifications.digest_send()
        # advice asked on an offer, and advice given
        made = offer(cast.team, cast.owner)
        offers.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
        offers.advice_give(actor=cast.outsider, offer=made, text="Say the price.")
    # a customer writes in: their private link; a known contact's address also
    # gets the link to confirm it was them; a reply reaches the customer
    for address in ("robin@example.net", cast.contact.email):
        Client().post(
            "/write-to-us/",
            {
                "kind": "issue",
                "words": "The gears slip since last week's service.",
                "name": "Robin",
                "email": address,
                "website": "",
                "started": spam.started_token(),
                "offer": "",
            },
        )
    written = Signal.objects.get(sender_email="robin@example.net")
    feedback.signal_reply(actor=cast.owner, signal=written, text="Bring it by.")
    # an invitation, and a password reset
    steward = Client()
    steward.force_login(cast.steward)
    steward.post("/invitations/", {"email": "new@example.org"})
    Client().post("/accounts/password_reset/", {"email": cast.owner.email})


def test_every_email_links_in_full_to_pages_that_open(
    cast, django_capture_on_commit_callbacks
):
    _every_kind_of_email(cast, django_capture_on_commit_callbacks)
    subjects = " | ".join(m.subject for m in mail.outbox)
    for kind in (
        "A new signal",
        "proposes to hand over",
        "added",
        "daily digest",
        "asks for your advice",
        "gave advice",
        "we received your message",
        "a reply to your message",
        "You are invited",
        "Password reset",
    ):
        assert kind in subjects, f"no e-mail for {kind!r} among: {subjects}"
    assert "Confirm it here" in "".join(m.body for m in mail.outbox)

    followed = 0
    for message in mail.outbox:
        links, paths, unsubscribe = _read(message)
        assert not paths, f"{message.subject!r} has bare paths: {paths}"
        if "advice" in message.subject or "digest" in message.subject:
            assert unsubscribe, f"{message.subject!r} has no List-Unsubscribe"
        recipient = Member.objects.filter(email__in=message.to).first()
        client = Client()
        if recipient is not None:
            client.force_login(recipient)
        for link in links + unsubscribe:
            assert link.startswith(BASE + "/"), f"{message.subject!r}: {link}"
            response = client.get(link.removeprefix(BASE), follow=True)
            assert response.status_code == 200, f"{message.subject!r}: {link}"
            if response.redirect_chain:
                final = response.redirect_chain[-1][0]
                assert recipient is None or "/accounts/login/" not in final, link
            followed += 1
    assert followed >= 15


def test_one_click_unsubscribe_works_without_a_configured_address(cast, settings):
    # `purposeful notifications digest` from cron: no server around to ask
    settings.BASE_URL = ""
    NotificationPreference.objects.create(
        member=cast.owner, topic=Topic.SIGNALS, frequency=Frequency.IMMEDIATELY
    )
    notifications.send_immediate(n.pk for n in notifications.notify_signal(cast.signal))
    (message,) = mail.outbox
    _, _, (link,) = _read(message)
    assert link.startswith("http://localhost:8000/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    # RFC 8058: the mail client posts this body, with no cookie or session
    response = Client(enforce_csrf_checks=True).post(
        link.removeprefix("http://localhost:8000"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(
        member=cast.owner, topic=Topic.SIGNALS
    ).frequency == (Frequency.NEVER)


def test_a_reset_link_follows_the_installation_not_the_host_a_visitor_sends(
    cast, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    Client().post(
        "/accounts/password_reset/",
        {"email": cast.owner.email},
        HTTP_HOST="attacker.example",
    )
    (message,) = mail.outbox
    links, _, _ = _read(message)
    assert links and all(link.startswith(BASE + "/") for link in links)
    assert "attacker.example" not in message.body
