"""Column charts of counts per month, as drawing instructions for inline SVG."""

from __future__ import annotations

HEIGHT = 100


def month_columns(counts: list[tuple[str, int]], *, width: int = 28) -> dict:
    largest = max((n for _, n in counts), default=0) or 1
    columns = []
    for index, (month, n) in enumerate(counts):
        h = round(HEIGHT * n / largest) if n else 0
        columns.append(
            {
                "month": month,
                "label": month[5:],
                "count": n,
                "x": index * (width + 6),
                "y": HEIGHT - h,
                "height": h,
                "width": width,
                "text_x": index * (width + 6) + width // 2,
            }
        )
    return {
        "columns": columns,
        "width": len(counts) * (width + 6),
        "height": HEIGHT + 20,
        "label_y": HEIGHT + 15,
        "total": sum(n for _, n in counts),
    }
