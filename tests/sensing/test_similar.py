"""Sensing while writing: similar earlier signals, and a likely duplicate to merge."""

from __future__ import annotations

import pytest
from django.test import Client

from purposeful.feedback.models import Signal
from purposeful.lens._semantic import load_embedder
from purposeful.sensing import similar

pytestmark = pytest.mark.skipif(load_embedder() is None, reason="needs tokenizers")


def _signal(team, words):
    return Signal.objects.create(team=team, kind="need", words=words)


def test_earlier_signals_about_the_same_are_shown_most_alike_first(cast):
    battery = _signal(cast.team, "Can you replace the cells of my e-bike battery?")
    _signal(cast.team, "Please open the shop on Saturday afternoons.")
    later = _signal(cast.team, "Could the e-bike battery cells be replaced by you?")
    found = similar.similar_signals(later)
    assert [s for s, _ in found] == [battery]
    assert similar.similar_signals(battery) == []  # only earlier ones


def test_a_likely_duplicate_is_offered_for_merging_and_merges(cast):
    first = _signal(cast.team, "My e-bike battery dies after ten kilometres.")
    again = _signal(cast.team, "My e-bike battery dies after 10 kilometres!")
    client = Client()
    client.force_login(cast.owner)
    page = client.get(f"/inbox/signals/{again.pk}/").content.decode()
    assert "Similar earlier signals" in page
    assert f"Merge into #{first.pk}" in page
    response = client.post(f"/inbox/signals/{again.pk}/merge/", {"into": first.pk})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.merged_into_id == first.pk


def test_unrelated_signals_are_not_offered(cast):
    _signal(cast.team, "Please open the shop on Saturday afternoons.")
    other = _signal(cast.team, "Can you replace the cells of my e-bike battery?")
    client = Client()
    client.force_login(cast.owner)
    page = client.get(f"/inbox/signals/{other.pk}/").content.decode()
    assert "Similar earlier signals" not in page
