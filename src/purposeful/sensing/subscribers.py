"""What sensing hears of the domain events (``purposeful.events``)."""

from __future__ import annotations

from purposeful import events


def signal_received(event: events.SignalReceived) -> None:
    # a new signal joins its nearest group now, not only at the next run
    from purposeful.sensing.services import sensing_place

    sensing_place(event.signal)


def connect() -> None:
    events.subscribe(events.SignalReceived, signal_received)
