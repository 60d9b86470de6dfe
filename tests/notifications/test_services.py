"""Notifications: preferences, immediate e-mail, the daily digest, unsubscribing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from purposeful.feedback.services import signal_record
from purposeful.notifications import services
from purposeful.notifications.models import Frequency, Notification, Topic
from purposeful.relationships.services import account_create, handover_propose


def _record(cast, words, actor=None):
    return signal_record(
        actor=actor or cast.outsider, team=cast.team, kind="issue", words=words
    )


def test_preferences_default_to_the_daily_digest(cast):
    assert services.preferences_of(cast.owner) == dict.fromkeys(Topic.values, "daily")


def test_member_chooses_their_own_preferences(cast):
    chosen = services.preferences_update(
        actor=cast.owner, member=cast.owner, choices={"signals": "immediately"}
    )
    assert chosen["signals"] == "immediately"


def test_member_cannot_choose_for_someone_else(cast):
    with pytest.raises(PermissionDenied):
        services.preferences_update(
            actor=cast.steward, member=cast.owner, choices={"signals": "never"}
        )


def test_unknown_frequency_is_refused(cast):
    with pytest.raises(ValidationError):
        services.preferences_update(
            actor=cast.owner, member=cast.owner, choices={"signals": "hourly"}
        )


def test_new_signal_is_emailed_at_once_to_a_member_who_chose_immediately(
    cast, django_capture_on_commit_callbacks
):
    services.preferences_update(
        actor=cast.owner, member=cast.owner, choices={"signals": "immediately"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _record(cast, "The chain skips on the hill.")
    to_owner = [m for m in mail.outbox if cast.owner.email in m.to]
    assert len(to_owner) == 1
    assert "The chain skips" in to_owner[0].subject
    assert "List-Unsubscribe" in to_owner[0].extra_headers
    # colleagues on the daily digest get nothing yet
    assert not [m for m in mail.outbox if cast.steward_in_team.email in m.to]


def test_member_who_chose_never_is_not_notified(
    cast, django_capture_on_commit_callbacks
):
    services.preferences_update(
        actor=cast.owner, member=cast.owner, choices={"signals": "never"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _record(cast, "Squeaky brakes.")
    assert not Notification.objects.filter(member=cast.owner).exists()


def test_the_member_who_recorded_a_signal_is_not_told_about_it(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _record(cast, "Flat tyre again.", actor=cast.owner)
    assert not Notification.objects.filter(member=cast.owner).exists()


def test_digest_gathers_a_days_signals_for_a_member_who_chose_digests(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for words in ("Brakes squeak.", "Saddle is loose.", "Chain rusts."):
            _record(cast, words)
        handover_propose(
            actor=cast.outsider,
            account=account_create(
                actor=cast.outsider, team=cast.other_team, name="Canal School"
            ),
            to_team=cast.team,
            reason="They need repairs, not courses.",
        )
    assert mail.outbox == []
    sent = services.digest_send(now=timezone.now() + timedelta(seconds=1))
    digest = next(m for m in mail.outbox if m.to == [cast.owner.email])
    assert sent == 2  # owner and the steward in the team
    assert "4 things to look at" in digest.subject
    for words in ("Brakes squeak.", "Saddle is loose.", "Chain rusts.", "Canal School"):
        assert words in digest.body
    assert services.digest_send() == 0  # each thing once


def test_digest_is_due_a_day_after_the_last(cast):
    Notification.objects.create(
        member=cast.owner, topic="signals", source="s:1", subject="x", body="x",
        delivery="digest", emailed_at=timezone.now() - timedelta(hours=2),
    )  # fmt: skip
    assert services.digest_due() is False
    assert services.digest_due(now=timezone.now() + timedelta(days=1)) is True


def test_unsubscribe_link_works_without_signing_in(cast):
    token = services.unsubscribe_token(cast.owner, "signals")
    url = reverse("notifications:unsubscribe", args=[token])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert services.preferences_of(cast.owner)["signals"] == Frequency.DAILY
    response = client.post(url)
    assert response.status_code == 200
    assert services.preferences_of(cast.owner)["signals"] == Frequency.NEVER
    assert services.preferences_of(cast.owner)["advice"] == Frequency.DAILY


def test_unsubscribe_from_a_digest_stops_every_topic(cast):
    services.unsubscribe(token=services.unsubscribe_token(cast.owner, "all"))
    assert set(services.preferences_of(cast.owner).values()) == {"never"}


def test_a_guessed_unsubscribe_link_changes_nothing(cast):
    token = services.unsubscribe_token(cast.owner, "signals")
    forged = token.replace(token.split(":")[0], "eyJtIjozLCJ0Ijoic2lnbmFscyJ9")
    response = Client().post(reverse("notifications:unsubscribe", args=[forged]))
    assert response.status_code == 404
    assert services.preferences_of(cast.owner)["signals"] == Frequency.DAILY


def test_advice_request_waits_for_the_digest_and_is_never_emailed_twice(
    cast, django_capture_on_commit_callbacks
):
    from purposeful.offers.services import offer_ask_advice

    services.preferences_update(
        actor=cast.outsider, member=cast.outsider, choices={"advice": "immediately"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        offer_ask_advice(
            actor=cast.owner, offer=cast.offer, members=[cast.outsider, cast.steward]
        )
    noted = Notification.objects.get(member=cast.outsider, topic="advice")
    assert noted.emailed_at is not None  # e-mailed at once, by notifications alone
    waiting = Notification.objects.get(member=cast.steward, topic="advice")
    assert waiting.emailed_at is None
    services.digest_send(now=timezone.now() + timedelta(seconds=1))
    digest = next(m for m in mail.outbox if m.subject.startswith("Your daily digest"))
    assert digest.to == [cast.steward.email]
    assert "asks for your advice on" in digest.body
    # one e-mail each: at once for the outsider, in the digest for the steward
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [cast.outsider.email, cast.steward.email]
    )


def _event_records(cast):
    """One record of each kind the notification task is told about, with its pks."""
    from purposeful.offers import services as offers
    from purposeful.organisation.services import team_join
    from tests.offers.factories import offer

    signal = _record(cast, "The saddle squeaks.")
    account = account_create(actor=cast.owner, team=cast.team, name="Town Hall")
    handover = handover_propose(
        actor=cast.owner, account=account, to_team=cast.other_team, reason="Closer."
    )
    draft = offer(cast.team, cast.owner)
    requests = offers.offer_ask_advice(
        actor=cast.owner, offer=draft, members=[cast.outsider], teams=[cast.other_team]
    )
    advice = offers.advice_give(actor=cast.outsider, offer=draft, text="Clear.")
    join = team_join(actor=cast.outsider, team=cast.team)
    change = join.team.changes.get(member=cast.outsider)
    return {
        "signal": [signal.pk],
        "handover": [handover.pk],
        "advice": [r.pk for r in requests],
        "advice_given": [advice.pk],
        "team_change": [change.pk],
    }


def test_each_kind_of_event_reaches_the_members_it_concerns(cast):
    """The background task reads each kind's record and notes it for its members."""
    from purposeful.notifications.tasks import _EVENTS, notify_event

    records = _event_records(cast)
    assert set(records) == set(_EVENTS)
    Notification.objects.all().delete()
    for kind, pks in records.items():
        before = Notification.objects.count()
        notify_event.call(kind, *pks)
        assert Notification.objects.count() > before, kind
    asked = Notification.objects.filter(topic=Topic.ADVICE, member=cast.outsider)
    assert asked.count() == 1  # asked by name and through no team of theirs
    notify_event.call("no such kind", 1)
