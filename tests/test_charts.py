"""Chart geometry: pure functions, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from purposeful.core import charts


def test_axis_maximum_is_a_round_number_at_or_above_the_data():
    assert charts._nice_max(7.5) == 10
    assert charts._nice_max(12) == 20
    assert charts._nice_max(120) == 200
    assert charts._nice_max(0) == 1


def test_line_chart_places_values_in_time_and_height():
    chart = charts.line_chart(
        [(date(2026, 1, 1), Decimal("0")), (date(2026, 12, 31), Decimal("10"))],
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        reference=Decimal("8"),
        reference_label="our number: 8",
    )
    first, last = chart.dots
    assert first.x == chart.plot_left and last.x == chart.plot_right
    assert first.y == chart.baseline  # zero sits on the axis
    assert last.y < chart.reference_y < first.y  # 10 above the team's 8
    assert chart.points == f"{first.x},{first.y} {last.x},{last.y}"
    assert [t.label for t in chart.ticks] == ["0", "2.5", "5", "7.5", "10"]


def test_line_chart_stretches_to_check_ins_outside_the_period():
    chart = charts.line_chart(
        [(date(2027, 2, 1), 3)], start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    assert chart.dots[0].x == chart.plot_right
    assert chart.x_labels[-1].label == "01 Feb 2027"


def test_bar_chart_keeps_the_given_order_and_scales_to_the_largest():
    chart = charts.bar_chart([("Workshop", 2), ("Learning Lab", 4)])
    assert [b.label for b in chart.bars] == ["Workshop", "Learning Lab"]
    assert chart.bars[0].width * 2 == chart.bars[1].width
    assert chart.bars[1].y > chart.bars[0].y


def test_bar_chart_of_nothing_draws_no_bars():
    assert charts.bar_chart([]).bars == []


def test_sparkbars_share_one_scale():
    a = charts.sparkbars("a", [("Jan", 1), ("Feb", 2)], y_max=4)
    b = charts.sparkbars("b", [("Jan", 4), ("Feb", 0)], y_max=4)
    assert a.columns[1].height * 2 == b.columns[0].height
    assert b.columns[1].height == 0
    assert a.total == 3


def test_timeline_marks_each_reflection_with_its_shape_class():
    chart = charts.timeline(
        [(date(2026, 3, 1), "Yes", "sense-yes"), (date(2026, 6, 1), "No", "sense-no")],
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    assert [d.css for d in chart.dots] == ["sense-yes", "sense-no"]
    assert chart.dots[0].x < chart.dots[1].x


def test_bar_chart_label_room_follows_its_label_width():
    assert charts.bar_chart([("a", 1)]).label_chars == 17
    assert charts.bar_chart([("a", 1)], label_width=230, width=640).label_chars == 28


def test_stacked_columns_stack_from_the_bottom_and_skip_zeros():
    chart = charts.stacked_columns(
        ["2026-01", "2026-02"], [("A", [2, 0]), ("B", [1, 0])]
    )
    first, second = chart.columns
    assert [s.series for s in first.segments] == ["A", "B"]
    assert first.segments[1].y < first.segments[0].y  # B sits on top of A
    assert first.total == 3 and second.segments == [] and second.total == 0
    assert [s.css for s in first.segments] == ["stack-0", "stack-1"]
    assert charts.shade_class(7) == "stack-1"


def test_state_and_month_bars_scale_to_the_largest():
    bars = charts.state_bars({"new": 2, "done": 4}, [("new", "New"), ("done", "Done")])
    assert [b["width"] for b in bars] == [150, 300]
    months = charts.month_columns([("2026-01", 0), ("2026-02", 5)])
    assert months["total"] == 5 and months["columns"][1]["label"] == "Feb"
    assert months["columns"][1]["initial"] == "F"
    assert months["columns"][1]["title"] == "Feb 2026"
