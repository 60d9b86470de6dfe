"""Grouping by meaning: the shipped encoder, HDBSCAN, names, matching runs."""

from __future__ import annotations

import numpy as np
import pytest

from purposeful.feedback.models import Signal
from purposeful.lens._semantic import load_embedder
from purposeful.sensing import grouping, selectors, services
from purposeful.sensing.models import SignalGroup
from tests.sensing.test_services import BRAKES, CARGO

BATTERY = [
    "My e-bike battery dies after ten kilometres",
    "Can you replace the cells in my e-bike battery?",
    "The battery of my electric bike will not hold a charge",
    "Is there a battery repair for an old e-bike?",
    "E-bike battery out of warranty, can it be fixed?",
    "My electric bike battery drains overnight",
]
THANKS = [
    "Thank you so much, great service!",
    "Thanks for the help, really appreciated.",
    "Lovely staff, keep up the good work.",
]

embedder = load_embedder()
needs_encoder = pytest.mark.skipif(embedder is None, reason="needs tokenizers")


def _vectors(texts):
    return np.asarray(embedder.embed(texts), dtype=np.float32)


@needs_encoder
def test_needs_are_grouped_apart_and_named_in_their_own_words():
    texts = BRAKES + CARGO + BATTERY
    groups = grouping.group_texts(
        texts, _vectors(texts), not_needs=_vectors(grouping.NOT_A_NEED)
    )
    assert sorted(sorted(g.members) for g in groups) == [
        list(range(0, 6)),
        list(range(6, 12)),
        list(range(12, 18)),
    ]
    names = {g.name for g in groups}
    assert any("brake" in n for n in names)
    assert any("cargo" in n for n in names)
    assert any("battery" in n for n in names)
    for g in groups:
        assert g.quote in g.members
        assert len(g.centroid) == 128


@needs_encoder
def test_praise_and_thanks_join_no_group():
    texts = BRAKES + CARGO + THANKS
    groups = grouping.group_texts(
        texts, _vectors(texts), not_needs=_vectors(grouping.NOT_A_NEED)
    )
    grouped = {i for g in groups for i in g.members}
    assert grouped.isdisjoint(range(12, 15))


def test_names_prefer_a_phrase_people_wrote_to_its_single_word():
    texts = CARGO + BRAKES
    (cargo, _), (brakes, _) = grouping.name_groups(texts, [range(6), range(6, 12)])
    assert cargo == "cargo bike"
    assert brakes == "brakes squeak"


def test_new_groups_match_old_ones_one_to_one_by_centroid():
    old = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    new = [[0.0, 0.95, 0.1], [0.0, 0.0, 1.0], [0.99, 0.05, 0.0]]
    assert grouping.match_groups(new, old) == [1, None, 0]
    assert grouping.nearest_group([0.1, 0.9, 0.0], old, threshold=0.5) == 1
    assert grouping.nearest_group([0.0, 0.0, 1.0], old, threshold=0.5) is None


def _record(team, texts):
    return [Signal.objects.create(team=team, kind="need", words=t) for t in texts]


@needs_encoder
def test_a_given_name_sticks_when_sensing_runs_again_with_more_signals(cast):
    _record(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    cargo = next(g for g in selectors.groups() if "cargo" in g.found_name)
    services.group_rename(actor=cast.owner, group=cargo, name="Bikes to borrow")
    _record(cast.other_team, BATTERY + ["A cargo bike to rent for the allotment"])
    run = services.sensing_compute()
    assert run.method == "semantic:minilm-static"
    again = selectors.group_by_key(cargo.key)
    assert again is not None and again.name == "Bikes to borrow"
    assert again.size == 7 and again.previous_size == 6
    battery = next(g for g in selectors.groups() if "battery" in g.found_name)
    assert battery.trend == SignalGroup.Trend.NEW


@needs_encoder
def test_a_new_signal_joins_its_nearest_group_between_runs(cast):
    _record(cast.team, BRAKES + CARGO)
    services.sensing_compute()
    (signal,) = _record(cast.team, ["x"])  # created directly: no event
    signal.words = "Could I rent your cargo bike on Saturday?"
    group = services.sensing_place(signal)
    assert group is not None and "cargo" in group.found_name
    assert group.size == 7
    assert services.sensing_place(signal).size == 7  # placed once


@pytest.mark.parametrize(
    ("text", "thanks"),
    [
        ("Thanks so much, lovely service!", True),
        ("ok", True),
        ("Great shop, but could you open on Sundays?", False),
        ("We'd love a cargo bike for the weekend.", False),
        ("My battery is broken", False),
    ],
)
def test_praise_that_asks_for_nothing_is_not_a_need(text, thanks):
    assert grouping.is_thanks_or_noise(text) is thanks


@needs_encoder
def test_a_later_run_continues_the_groups_and_leaves_praise_out():
    first_texts = BRAKES + CARGO
    vectors = _vectors(first_texts)
    centre = grouping.common_direction(vectors)
    first = grouping.group_texts(first_texts, vectors, centre=centre)
    texts = first_texts + THANKS + ["Thanks again, brilliant people!"]
    later = grouping.group_texts(
        texts,
        _vectors(texts),
        not_needs=_vectors(grouping.NOT_A_NEED),
        centre=centre,
        previous=[g.centroid for g in first],
    )
    carried = grouping.match_groups(
        [g.centroid for g in later], [g.centroid for g in first]
    )
    assert sorted(carried) == [0, 1]
    assert sorted(sorted(g.members) for g in later) == [
        list(range(6)),
        list(range(6, 12)),
    ]


def test_signals_written_alike_are_named_by_a_phrase_not_a_word_picked_alphabetically():
    alike = "Newcomers at our centre would rent twenty bikes if the price were lower."
    texts = [alike] * 4 + CARGO + ["Bikes for the centre of town"] * 2
    ((name, _), _, _) = grouping.name_groups(
        texts, [range(4), range(4, 10), range(10, 12)]
    )
    assert " " in name
