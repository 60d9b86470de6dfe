"""Factories for outreach tests."""

from __future__ import annotations

from purposeful.outreach.models import Message, MessageVersion

URGENT_FEAR = (
    "Hurry, this offer ends today! Don't risk your safety on worn brakes "
    "before it's too late."
)
PURPOSE_LED = (
    "We keep bicycles in our city riding for as long as they can. Bring your bike "
    "to the workshop and we will repair it at a fair price, and show you how to "
    "care for it yourself."
)


def message(
    team, author, *, title="Spring tune-up", body=PURPOSE_LED, state="draft", **fields
):
    m = Message.objects.create(
        team=team, title=title, body=body, state=state, created_by=author, **fields
    )
    MessageVersion.objects.create(
        message=m, number=1, title=title, body=body, author=author
    )
    return m
