"""Small server-side SVG charts: numbers in, drawing instructions out."""

from __future__ import annotations

from purposeful.feedback.models import Signal

BAR_WIDTH = 300


def state_bars(counts: dict[str, int]) -> list[dict]:
    """One horizontal bar per state, scaled to the largest count."""
    largest = max(counts.values(), default=0) or 1
    bars = []
    for index, (state, label) in enumerate(Signal.State.choices):
        n = counts.get(state, 0)
        bars.append(
            {
                "state": state,
                "label": label,
                "count": n,
                "y": index * 28,
                "width": round(BAR_WIDTH * n / largest) if n else 0,
            }
        )
    return bars
