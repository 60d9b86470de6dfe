"""Side effects travel one way: services emit domain events, the parts subscribe."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from purposeful import events
from purposeful.feedback import services as feedback
from purposeful.notifications.models import Notification
from purposeful.notifications.services import preferences_update
from purposeful.offers import services as offers
from purposeful.webhooks.models import Delivery
from purposeful.webhooks.services import endpoint_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run at once, so their e-mail can be asserted."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def _listeners(event_type):
    return {f"{s.__module__}.{s.__name__}" for s in events.subscribers(event_type)}


def test_each_event_reaches_the_parts_that_act_on_it():
    notifications = "purposeful.notifications.subscribers"
    webhooks = "purposeful.webhooks.events"
    dashboard = "purposeful.targets.dashboard._changed"
    assert _listeners(events.SignalReceived) == {
        f"{notifications}.signal_received",
        f"{webhooks}.signal_received",
        dashboard,
        "purposeful.sensing.subscribers.signal_received",
    }
    assert _listeners(events.SignalStateChanged) == {
        f"{webhooks}.signal_state_changed",
        dashboard,
    }
    assert _listeners(events.OfferPublished) == {
        f"{webhooks}.offer_published",
        dashboard,
    }
    assert _listeners(events.MessagePublished) == {
        f"{webhooks}.message_published",
        dashboard,
    }
    assert _listeners(events.AdviceAsked) == {f"{notifications}.advice_asked"}
    assert _listeners(events.AdviceGiven) == {f"{notifications}.advice_given"}
    assert _listeners(events.HandoverChanged) == {f"{notifications}.handover_changed"}
    assert _listeners(events.MembershipChanged) == {
        f"{notifications}.membership_changed"
    }
    assert _listeners(events.TaskAbandoned) == {
        "purposeful.exchange.tasks.import_abandoned",
        "purposeful.outreach.tasks.site_review_abandoned",
    }


def test_subscribing_twice_is_one_subscription():
    before = events.subscribers(events.OfferPublished)
    for subscriber in before:
        events.subscribe(events.OfferPublished, subscriber)
    assert events.subscribers(events.OfferPublished) == before


def test_a_signal_recorded_tells_the_team_and_the_webhooks_once_it_commits(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    endpoint_create(
        actor=cast.steward, url="http://127.0.0.1:9/hook", events=["signal.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        signal = feedback.signal_record(
            actor=cast.owner, team=cast.team, kind="issue", words="The form is slow."
        )
    # the endpoint is unreachable, so later attempts follow the first; one event
    assert Delivery.objects.filter(event="signal.created", attempt=1).count() == 1
    assert Notification.objects.filter(source=f"signal:{signal.pk}").exists()


def test_a_signal_rolled_back_tells_no_one(cast, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        feedback.signal_record(
            actor=cast.owner, team=cast.team, kind="issue", words="Undone."
        )
        raise RuntimeError
    assert callbacks == []
    assert not Notification.objects.exists()


def test_advice_given_reaches_the_asker_at_once_unless_they_chose_never(
    cast, django_capture_on_commit_callbacks
):
    made = cast.offer
    offers.offer_ask_advice(actor=cast.owner, offer=made, members=[cast.outsider])
    # the asker is on the daily digest (the default): an answer to their own ask
    # still comes at once
    with django_capture_on_commit_callbacks(execute=True):
        offers.advice_give(actor=cast.outsider, offer=made, text="Name the price.")
    assert [m.to for m in mail.outbox] == [[cast.owner.email]]
    assert "Name the price." in mail.outbox[0].body

    mail.outbox.clear()
    preferences_update(actor=cast.owner, member=cast.owner, choices={"advice": "never"})
    with django_capture_on_commit_callbacks(execute=True):
        offers.advice_give(actor=cast.outsider, offer=made, text="And the hours.")
    assert mail.outbox == []
