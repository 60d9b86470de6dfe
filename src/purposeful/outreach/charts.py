"""Charts as inline SVG rendered on the server; every chart sits beside a table of its numbers."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Patterns as well as shades, so categories differ without relying on colour.
_SHADES = 6


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step:
            return step
    return int(value) + 1


def bar_chart(rows: list[tuple[str, int]], *, title: str) -> SafeString:
    """Horizontal bars, one per (label, value), labelled with their value."""
    width, label_w, bar_h, gap = 640, 230, 22, 8
    height = max(1, len(rows)) * (bar_h + gap) + 10
    top = _nice_max(max((v for _, v in rows), default=0))
    span = width - label_w - 50
    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        w = 0 if not top else span * value / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h - 6}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3"/>'
            f'<text class="bar-label" x="{label_w + w + 6:.1f}" y="{y + bar_h - 6}">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_columns(
    columns: list[str], series: list[tuple[str, list[int]]], *, title: str
) -> SafeString:
    """One column per period, stacked by series; the legend numbers each series."""
    width, height, left, bottom, top_pad = 640, 280, 44, 40, 12
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    top = _nice_max(max(totals, default=0))
    plot_h = height - bottom - top_pad
    plot_w = width - left - 10
    slot = plot_w / max(1, len(columns))
    bar_w = min(48, slot * 0.7)
    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, 5):
        value = top * tick / 4
        y = top_pad + plot_h - plot_h * tick / 4
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    for i, column in enumerate(columns):
        x = left + slot * i + (slot - bar_w) / 2
        y = top_pad + plot_h
        for s, (_, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            parts.append(
                f'<rect class="stack stack-{s % _SHADES}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}"><title>{escape(column)}: '
                f"{escape(series[s][0])} {value}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle">{escape(column)}</text>'
        )
        if totals[i]:
            parts.append(
                f'<text class="bar-label" x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{totals[i]}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def shade_class(index: int) -> str:
    return f"stack-{index % _SHADES}"
