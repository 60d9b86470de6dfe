"""The demo's outbox in a real browser: a member opens an e-mail sent to them
and follows its link to the page it names."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from purposeful.feedback.models import Signal
from purposeful.notifications import services as notifications
from purposeful.notifications.models import Frequency, NotificationPreference, Topic
from purposeful.people.models import Member


@pytest.fixture
def outbox(settings, tmp_path, demo_site):
    """E-mails go to an outbox of the test's own; links lead to the live server."""
    settings.EMAIL_BACKEND = "purposeful.notifications.outbox.OutboxBackend"
    settings.OUTBOX_FILE = tmp_path / "outbox.mbox"
    settings.BASE_URL = demo_site
    return settings.OUTBOX_FILE


def test_a_link_followed_from_the_outbox_opens_the_page(
    page, signed_in, demo_site, outbox
):
    lena = Member.objects.get(username="lena")
    NotificationPreference.objects.update_or_create(
        member=lena, topic=Topic.SIGNALS, defaults={"frequency": Frequency.IMMEDIATELY}
    )
    signal = Signal.objects.create(
        team=lena.teams.get(slug="workshop"),
        kind=Signal.Kind.NEED,
        words="A cargo bike rack outside the workshop, please.",
    )
    notifications.send_immediate(n.pk for n in notifications.notify_signal(signal))

    signed_in("lena")
    page.get_by_role("link", name="What you hear about").click()
    page.get_by_role("link", name="your outbox").click()
    page.get_by_role("link", name="A cargo bike rack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A new signal")
    # on a phone the long links wrap instead of widening the page
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    link = f"{demo_site}{signal.get_absolute_url()}"
    page.locator(".email-body").get_by_role("link", name=link).click()
    expect(page).to_have_url(link)
    expect(page.get_by_text("A cargo bike rack outside the workshop")).to_be_visible()
