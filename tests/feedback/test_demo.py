"""The demo gives every inbox and customer page something real to show."""

from __future__ import annotations

from django.db.models import Count

from purposeful import demo
from purposeful.feedback.models import Signal
from purposeful.relationships.models import Account, Handover, Referral


def test_demo_fills_customers_and_inboxes_in_every_state(db):
    demo.load(password="purposeful-demo")
    assert Account.objects.count() == 40
    per_team = dict(Account.objects.values_list("team__slug").annotate(n=Count("pk")))
    assert set(per_team) == {
        "workshop",
        "mobile-repair",
        "refurbish-rent",
        "learning-lab",
    }
    assert all(account.contacts.exists() for account in Account.objects.all())
    assert all(account.conversations.exists() for account in Account.objects.all())
    states = set(Signal.objects.values_list("state", flat=True))
    assert states == set(Signal.State.values)
    assert 140 <= Signal.objects.count() <= 160
    assert Handover.objects.filter(state=Handover.State.PROPOSED).count() == 1
    assert Handover.objects.filter(state=Handover.State.ACCEPTED).count() == 1
    assert Referral.objects.count() >= 2
    assert Signal.objects.filter(merged_into__isnull=False).exists()
    accepted = Handover.objects.get(state=Handover.State.ACCEPTED)
    assert accepted.account.team == accepted.to_team
