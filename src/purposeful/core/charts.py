"""The one chart module: geometry for the server-rendered SVG charts.

Numbers in, drawing instructions out; templates draw what this computes (the
shared ones are under ``web/templates/charts/``), so labels are escaped by the
template engine like any other text. Pure Python with no Django import, so it
is tested without a database. Every chart is drawn in a fixed ``viewBox`` and
scales with the page; every chart has a table of the same numbers beside it in
the template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

WIDTH = 640
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 56, 24, 16, 40


def _nice_max(value: float) -> float:
    """A round upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude  # pragma: no cover - the loop always returns


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Dot:
    x: float
    y: float
    label: str
    value: str
    css: str = ""


@dataclass
class LineChart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y" attribute
    dots: list[Dot]
    ticks: list[Tick]
    reference_y: float | None
    reference_label: str
    x_labels: list[Dot]
    plot_left: int = PAD_LEFT
    plot_right: int = WIDTH - PAD_RIGHT
    baseline: float = 0.0


def line_chart(
    values: Sequence[tuple[date, Decimal | float]],
    *,
    start: date,
    end: date,
    reference: Decimal | float | None = None,
    reference_label: str = "",
    height: int = 240,
) -> LineChart:
    """Values over a period, with the team's own number as a quiet reference line."""
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM
    baseline = height - PAD_BOTTOM
    top = max([float(v) for _, v in values] + [float(reference or 0)])
    y_max = _nice_max(top)
    first = min([start, *[d for d, _ in values]])
    last = max([end, *[d for d, _ in values]])
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return round(PAD_LEFT + plot_w * (day - first).days / span, 1)

    def y_of(value: float) -> float:
        return round(baseline - plot_h * value / y_max, 1)

    dots = [
        Dot(x_of(day), y_of(float(v)), day.isoformat(), _fmt(float(v)))
        for day, v in values
    ]
    ticks = [Tick(y_of(y_max * i / 4), _fmt(y_max * i / 4)) for i in range(5)]
    x_labels = [
        Dot(x_of(first), baseline + 24, first.strftime("%d %b %Y"), ""),
        Dot(x_of(last), baseline + 24, last.strftime("%d %b %Y"), ""),
    ]
    return LineChart(
        width=WIDTH,
        height=height,
        points=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=dots,
        ticks=ticks,
        reference_y=y_of(float(reference)) if reference is not None else None,
        reference_label=reference_label,
        x_labels=x_labels,
        baseline=baseline,
    )


@dataclass
class Timeline:
    width: int
    height: int
    line_y: float
    dots: list[Dot]
    x_labels: list[Dot]
    plot_left: int = PAD_LEFT
    plot_right: int = WIDTH - PAD_RIGHT


def timeline(
    events: Sequence[tuple[date, str, str]], *, start: date, end: date
) -> Timeline:
    """Check-ins without numbers: a mark per reflection along the period.

    ``events`` holds (day, label, css class) — the class tells whether the team
    still felt the target made sense, drawn as a shape, not only a colour.
    """
    height = 110
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    first = min([start, *[d for d, _, _ in events]])
    last = max([end, *[d for d, _, _ in events]])
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        return round(PAD_LEFT + plot_w * (day - first).days / span, 1)

    line_y = 45.0
    return Timeline(
        width=WIDTH,
        height=height,
        line_y=line_y,
        dots=[
            Dot(x_of(d), line_y, d.isoformat(), label, css) for d, label, css in events
        ],
        x_labels=[
            Dot(x_of(first), line_y + 45, first.strftime("%d %b %Y"), ""),
            Dot(x_of(last), line_y + 45, last.strftime("%d %b %Y"), ""),
        ],
    )


@dataclass
class Bar:
    y: float
    width: float
    label: str
    value: str
    text_y: float
    value_x: float


@dataclass
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    bar_height: int
    label_width: int
    value_x_pad: int = 6
    # how many characters of a label fit left of the bars (about 8px each)
    label_chars: int = 17


def bar_chart(
    rows: Sequence[tuple[str, float | int]], *, label_width: int = 140, width: int = 380
) -> BarChart:
    """Horizontal bars in the order given: the caller decides, never by rank."""
    bar_h, gap = 26, 10
    height = max(len(rows), 1) * (bar_h + gap) + gap
    plot_w = width - label_width - 44
    top = _nice_max(max([float(v) for _, v in rows] or [0]))
    bars = []
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        bar_w = round(plot_w * float(value) / top, 1)
        bars.append(
            Bar(
                y=y,
                width=bar_w,
                label=label,
                value=_fmt(float(value)),
                text_y=y + bar_h / 2 + 5,
                value_x=round(label_width + bar_w + 6, 1),
            )
        )
    return BarChart(
        width=width,
        height=height,
        bars=bars,
        bar_height=bar_h,
        label_width=label_width,
        label_chars=label_width // 8,
    )


@dataclass
class Column:
    x: float
    y: float
    height: float
    label: str
    value: int


@dataclass
class Sparkbars:
    title: str
    width: int
    height: int
    column_width: float
    columns: list[Column] = field(default_factory=list)
    total: int = 0


def sparkbars(
    title: str, counts: Sequence[tuple[str, int]], *, y_max: int | None = None
) -> Sparkbars:
    """A small column chart, one column per period; several share one scale."""
    width, height, gap = 240, 70, 4
    n = max(len(counts), 1)
    col_w = (width - gap * (n + 1)) / n
    top = max(y_max or 0, *[c for _, c in counts], 1)
    columns = []
    for i, (label, count) in enumerate(counts):
        h = round((height - 4) * count / top, 1)
        columns.append(
            Column(
                x=round(gap + i * (col_w + gap), 1),
                y=round(height - h, 1),
                height=h,
                label=label,
                value=count,
            )
        )
    return Sparkbars(
        title=title,
        width=width,
        height=height,
        column_width=round(col_w, 1),
        columns=columns,
        total=sum(c for _, c in counts),
    )


# Patterns as well as shades, so categories differ without relying on colour.
SHADES = 6


def shade_class(index: int) -> str:
    """The CSS class of the ``index``-th series, in the chart and in its legend."""
    return f"stack-{index % SHADES}"


@dataclass
class Segment:
    y: float
    height: float
    css: str
    series: str
    value: int


@dataclass
class StackedColumn:
    x: float
    width: float
    label: str
    label_x: float
    total: int
    total_y: float
    segments: list[Segment]


@dataclass
class StackedColumns:
    width: int
    height: int
    label_y: float
    ticks: list[Tick]
    columns: list[StackedColumn]
    plot_left: int
    plot_right: int


def stacked_columns(
    columns: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> StackedColumns:
    """One column per period, stacked by series from the bottom in the given order."""
    width, height, left, bottom, top_pad = WIDTH, 280, 44, 40, 12
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    top = _nice_max(max(totals, default=0))
    plot_h = height - bottom - top_pad
    plot_w = width - left - 10
    slot = plot_w / max(1, len(columns))
    bar_w = round(min(48, slot * 0.7), 1)
    ticks = [
        Tick(round(top_pad + plot_h - plot_h * i / 4, 1), _fmt(top * i / 4))
        for i in range(5)
    ]
    drawn = []
    for i, column in enumerate(columns):
        x = left + slot * i + (slot - bar_w) / 2
        y = float(top_pad + plot_h)
        segments = []
        for s, (name, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            segments.append(
                Segment(round(y, 1), round(h, 1), shade_class(s), name, value)
            )
        drawn.append(
            StackedColumn(
                x=round(x, 1),
                width=bar_w,
                label=column,
                label_x=round(x + bar_w / 2, 1),
                total=totals[i],
                total_y=round(y - 4, 1),
                segments=segments,
            )
        )
    return StackedColumns(
        width=width,
        height=height,
        label_y=height - bottom + 18,
        ticks=ticks,
        columns=drawn,
        plot_left=left,
        plot_right=width - 10,
    )


def state_bars(
    counts: dict[str, int], choices: Sequence[tuple[str, str]], *, width: int = 300
) -> list[dict]:
    """One horizontal bar per (state, label) of ``choices``, scaled to the largest count."""
    largest = max(counts.values(), default=0) or 1
    bars = []
    for index, (state, label) in enumerate(choices):
        n = counts.get(state, 0)
        bars.append(
            {
                "state": state,
                "label": label,
                "count": n,
                "y": index * 28,
                "width": round(width * n / largest) if n else 0,
            }
        )
    return bars


MONTH_HEIGHT = 100


MONTH_NAMES = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def month_columns(counts: list[tuple[str, int]], *, width: int = 28) -> dict:
    """Columns of counts per month (``YYYY-MM``), labelled with the month's short
    name ("Feb"; its initial, ``initial``, where a column is too narrow for it) and
    named in full (``title``, "Feb 2026") for the table beside the chart."""
    largest = max((n for _, n in counts), default=0) or 1
    columns = []
    for index, (month, n) in enumerate(counts):
        h = round(MONTH_HEIGHT * n / largest) if n else 0
        columns.append(
            {
                "month": month,
                "label": MONTH_NAMES[int(month[5:7]) - 1],
                "initial": MONTH_NAMES[int(month[5:7]) - 1][0],
                "title": f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}",
                "count": n,
                "x": index * (width + 6),
                "y": MONTH_HEIGHT - h,
                "height": h,
                "width": width,
                "text_x": index * (width + 6) + width // 2,
            }
        )
    return {
        "columns": columns,
        "width": len(counts) * (width + 6),
        "height": MONTH_HEIGHT + 20,
        "label_y": MONTH_HEIGHT + 15,
        "total": sum(n for _, n in counts),
    }
