"""Demo for sensing: ten needs that surface in several teams' inboxes, then one run.

The feedback demo fills each inbox with its own concerns; these signals are the
kind that only show up when all inboxes are read together.
"""

from __future__ import annotations

import random
from datetime import timedelta

from purposeful.feedback.models import Signal, SignalEvent

K = Signal.Kind
# (kind, words): phrased differently, as different customers would
EMERGING = [
    (K.NEED, "Could we rent a cargo bike for a weekend to move flat?"),
    (K.NEED, "Our daycare wants to rent a cargo bike for the morning rounds."),
    (K.OPPORTUNITY, "Neighbours asked whether they could share a cargo bike rental."),
    (K.QUESTION, "Do you rent out cargo bikes by the day, with a rain cover?"),
    (
        K.ISSUE,
        "The e-bike battery dies after 10 km; can the battery cells be replaced?",
    ),
    (K.QUESTION, "Can you repair an e-bike battery instead of selling a new battery?"),
    (K.NEED, "My e-bike battery is out of warranty; is there a battery repair option?"),
    (
        K.NEED,
        "Our kids outgrow their bikes every year: could you run a kids' bike swap?",
    ),
    (K.OPPORTUNITY, "A kids' bike swap at the school fair, trading outgrown bikes?"),
    (
        K.QUESTION,
        "Do you take back kids' bikes they outgrew, as a swap for a bigger one?",
    ),
]


def load(context) -> None:
    from purposeful.sensing.services import sensing_compute

    rng = random.Random(8)
    teams = list(context.teams.values())
    recorders = list(context.members.values())
    now = context.now
    signals = []
    for index, (kind, words) in enumerate(EMERGING):
        created = now - timedelta(days=rng.randint(0, 150), hours=rng.randint(0, 10))
        signals.append(
            Signal(
                team=teams[index % len(teams)],
                kind=kind,
                words=words,
                recorded_by=rng.choice(recorders),
                created_at=created,
                updated_at=created,
            )
        )
    signals = Signal.objects.bulk_create(signals)
    SignalEvent.objects.bulk_create(
        SignalEvent(
            signal=s,
            kind=SignalEvent.Kind.RECEIVED,
            actor=s.recorded_by,
            created_at=s.created_at,
        )
        for s in signals
    )
    sensing_compute()
