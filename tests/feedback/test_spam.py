"""The three spam guards on their own, without a database."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from purposeful.feedback import spam


def test_time_trap_lets_a_person_through_after_the_threshold(settings):
    settings.FEEDBACK_MIN_SECONDS = 3
    token = spam.started_token(now=1000.0)
    spam.check_time_trap(token, now=1003.5)


def test_time_trap_refuses_a_script_that_posts_at_once(settings):
    settings.FEEDBACK_MIN_SECONDS = 3
    token = spam.started_token(now=1000.0)
    with pytest.raises(spam.SpamRefused, match="very quick"):
        spam.check_time_trap(token, now=1000.4)


def test_time_trap_refuses_a_start_time_signed_with_another_key():
    forged = signing.dumps(time.time() - 60, key="not-our-secret", salt="x")
    with pytest.raises(spam.SpamRefused, match="expired"):
        spam.check_time_trap(forged)


def test_time_trap_refuses_a_day_old_form():
    token = spam.started_token(now=time.time() - 2 * 86400)
    with pytest.raises(spam.SpamRefused, match="expired"):
        spam.check_time_trap(token)


def test_honeypot_refuses_anything_in_the_hidden_field():
    spam.check_honeypot("")
    spam.check_honeypot("   ")
    with pytest.raises(spam.SpamRefused):
        spam.check_honeypot("https://cheap-watches.example")


def test_rate_limit_counts_per_address_and_lets_other_addresses_through(settings):
    from django.core.cache import cache

    cache.clear()
    settings.FEEDBACK_RATE_LIMIT = (2, 60)
    spam.check_rate_limit(ip="192.0.2.1")
    spam.check_rate_limit(ip="192.0.2.1")
    with pytest.raises(spam.SpamRefused):
        spam.check_rate_limit(ip="192.0.2.1")
    spam.check_rate_limit(ip="192.0.2.2")
    cache.clear()
